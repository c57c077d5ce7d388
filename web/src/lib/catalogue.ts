// The items and locations the forms pick from.
import { useQuery } from 'urql';
import { graphql } from '../gql';

const CatalogueDocument = graphql(`
  query Catalogue {
    items(first: 250) { nodes { id sku name unit barcode } pageInfo { hasNextPage } }
    locations(first: 250) { nodes { id code name } pageInfo { hasNextPage } }
  }
`);

export interface Pick {
  value: string;
  label: string;
}

export function useCatalogue() {
  const [{ data, fetching }, refetch] = useQuery({ query: CatalogueDocument });
  const items: Pick[] = (data?.items.nodes ?? []).map((i) => ({ value: i.id, label: `${i.sku} — ${i.name}` }));
  const locations: Pick[] = (data?.locations.nodes ?? []).map((l) => ({ value: l.id, label: `${l.code} — ${l.name}` }));
  const barcodes = new Map<string, string>();
  for (const i of data?.items.nodes ?? []) if (i.barcode) barcodes.set(i.id, i.barcode);
  return { items, locations, barcodes, itemNodes: data?.items.nodes ?? [], locationNodes: data?.locations.nodes ?? [], fetching, refetch };
}
