// The words a form shows for the userErrors a mutation returns.

export interface UserErrorLike {
  message: string;
  code?: string | null;
  field?: string[] | null;
}

/**
 * userErrorMessage joins a payload's userErrors into one message, or null when
 * there are none. A DUPLICATE barcode says so plainly, since the scanner's
 * code is what the person typed.
 */
export function userErrorMessage(errs: readonly UserErrorLike[] | null | undefined): string | null {
  if (!errs || errs.length === 0) return null;
  return errs
    .map((e) => {
      if (e.code === 'DUPLICATE' && e.field?.includes('barcode')) return 'Another item already has this barcode.';
      if (e.code === 'DUPLICATE' && e.field?.includes('sku')) return 'Another item already has this SKU.';
      return e.message;
    })
    .join(' ');
}
