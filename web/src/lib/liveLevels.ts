// Live stock levels: what the subscriptions say, newest version wins.

export interface LevelFigures {
  onHand: number;
  available: number;
  reserved: number;
  incoming: number;
  version: number;
}

export interface LiveLevel extends LevelFigures {
  itemId: string;
  locationId: string;
  location?: { id: string; code: string; name: string };
}

export type Highlights = Map<string, number>;

export const levelKey = (itemId: string, locationId: string) => `${itemId}/${locationId}`;

export const figureFields = ['onHand', 'available', 'reserved', 'incoming'] as const;

/**
 * mergeLevel returns the levels with l applied, and the figures it changed,
 * or null when l is not newer than what is known (a replay or a duplicate).
 */
export function mergeLevel(
  known: Map<string, LiveLevel>,
  l: LiveLevel,
  base?: LevelFigures,
): { next: Map<string, LiveLevel>; changed: string[] } | null {
  const k = levelKey(l.itemId, l.locationId);
  const prev = known.get(k) ?? base;
  if (prev && prev.version >= l.version) return null;
  const changed = prev ? figureFields.filter((f) => prev[f] !== l[f]) : [...figureFields];
  const next = new Map(known);
  next.set(k, l);
  return { next, changed };
}
