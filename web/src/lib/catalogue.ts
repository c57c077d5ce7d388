// The items and locations the forms pick from. Archived items are among
// them, marked, since their stock can still leave; the service refuses new
// stock for them with its own message.
import { useQuery } from 'urql';
import { graphql } from '../gql';

// Two queries, each within the service's cost limit for a request.
const CatalogueItemsDocument = graphql(`
  query CatalogueItems {
    items(first: 250, includeArchived: true) { nodes { id sku name unit barcode archivedAt } pageInfo { hasNextPage } }
  }
`);

const CatalogueLocationsDocument = graphql(`
  query CatalogueLocations {
    locations(first: 250) { nodes { id code name } pageInfo { hasNextPage } }
  }
`);

export interface Pick {
  value: string;
  label: string;
}

export function useCatalogue() {
  const [{ data: itemData, fetching: fetchingItems }, refetchItems] = useQuery({ query: CatalogueItemsDocument });
  const [{ data: locationData, fetching: fetchingLocations }, refetchLocations] = useQuery({ query: CatalogueLocationsDocument });
  const data = { items: itemData?.items, locations: locationData?.locations };
  const fetching = fetchingItems || fetchingLocations;
  const refetch = (opts?: Parameters<typeof refetchItems>[0]) => {
    refetchItems(opts);
    refetchLocations(opts);
  };
  const items: Pick[] = (data.items?.nodes ?? []).map((i) => ({ value: i.id, label: `${i.sku} — ${i.name}${i.archivedAt ? ' (archived)' : ''}` }));
  const locations: Pick[] = (data.locations?.nodes ?? []).map((l) => ({ value: l.id, label: `${l.code} — ${l.name}` }));
  const barcodes = new Map<string, string>();
  for (const i of data.items?.nodes ?? []) if (i.barcode) barcodes.set(i.id, i.barcode);
  return { items, locations, barcodes, itemNodes: data.items?.nodes ?? [], locationNodes: data.locations?.nodes ?? [], fetching, refetch };
}
