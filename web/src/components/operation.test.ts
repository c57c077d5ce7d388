import { describe, expect, it } from 'vitest';
import { emptyValues, inputFingerprint, operationInput, validateOperation } from './operation';

const ok = { ...emptyValues, itemId: 'i1', locationId: 'l1', quantity: 3 };

describe('validateOperation', () => {
  it('accepts a complete receipt', () => {
    expect(validateOperation('receive', ok)).toEqual({});
  });
  it('asks for the item, the location and a quantity', () => {
    const e = validateOperation('ship', emptyValues);
    expect(e.itemId).toBe('Choose an item.');
    expect(e.locationId).toBe('Choose a location.');
    expect(e.quantity).toBe('Enter a whole number.');
  });
  it('refuses zero, negative, fractional and huge quantities where they make no sense', () => {
    expect(validateOperation('receive', { ...ok, quantity: 0 }).quantity).toMatch(/at least 1/);
    expect(validateOperation('ship', { ...ok, quantity: -2 }).quantity).toMatch(/at least 1/);
    expect(validateOperation('ship', { ...ok, quantity: '1.5' }).quantity).toBe('Enter a whole number.');
    expect(validateOperation('receive', { ...ok, quantity: 2_000_000_000 }).quantity).toMatch(/billion/);
  });
  it('lets a count be zero but not negative', () => {
    expect(validateOperation('count', { ...ok, quantity: 0 })).toEqual({});
    expect(validateOperation('count', { ...ok, quantity: -1 }).quantity).toMatch(/negative/);
  });
  it('lets an adjustment be negative, not zero, and needs a reason', () => {
    expect(validateOperation('adjust', { ...ok, quantity: -4, reason: 'broken' })).toEqual({});
    expect(validateOperation('adjust', { ...ok, quantity: 0, reason: 'x' }).quantity).toMatch(/negative number to remove/);
    expect(validateOperation('adjust', { ...ok, quantity: 2, reason: '  ' }).reason).toMatch(/why/);
  });
  it('needs two different locations for a transfer', () => {
    expect(validateOperation('transfer', ok).toLocationId).toMatch(/where the stock goes/);
    expect(validateOperation('transfer', { ...ok, toLocationId: 'l1' }).toLocationId).toMatch(/different/);
    expect(validateOperation('transfer', { ...ok, toLocationId: 'l2' })).toEqual({});
  });
});

describe('operationInput', () => {
  it('sends each kind the fields its mutation takes', () => {
    expect(operationInput('count', ok, 'k')).toMatchObject({ countedQuantity: 3, locationId: 'l1', idempotencyKey: 'k' });
    expect(operationInput('adjust', { ...ok, quantity: -2, reason: ' lost ' }, 'k')).toMatchObject({ delta: -2, reason: 'lost' });
    expect(operationInput('transfer', { ...ok, toLocationId: 'l2', inTransit: true }, 'k')).toMatchObject({
      fromLocationId: 'l1',
      toLocationId: 'l2',
      quantity: 3,
      inTransit: true,
    });
    expect(operationInput('receive', { ...ok, reference: '  ' }, 'k').reference).toBeUndefined();
  });
  it('fingerprints the values, not the key', () => {
    expect(inputFingerprint('ship', ok)).toBe(inputFingerprint('ship', { ...ok }));
    expect(inputFingerprint('ship', ok)).not.toBe(inputFingerprint('ship', { ...ok, quantity: 4 }));
  });
});
