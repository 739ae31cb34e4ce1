/**
 * The parcels a signed-in promoter has ticked in the catalogue or on a parcel's sheet, to put on a shortlist.
 * Kept for the browser tab (sessionStorage), so that going from the list to a sheet and back keeps them.
 * An anonymous visitor's page has no promoter mark and never shows these controls.
 */
import { PROMOTER_META } from '../../../domain/permissions.ts';

const KEY = 'park-atlas-picked';

/** Set by the server on the page it sends to a signed-in promoter or administrator. */
export const isPromoter = typeof document !== 'undefined' && document.querySelector(`meta[name="${PROMOTER_META}"]`) !== null;

/** A ticked parcel: its id and code (the code to show what was ticked without asking again). */
export interface Picked {
  id: number;
  code: string;
}

function stored(): Picked[] {
  try {
    const v = JSON.parse(sessionStorage.getItem(KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((p) => Number.isInteger(p?.id) && typeof p?.code === 'string') : [];
  } catch {
    return [];
  }
}

class PickedParcels {
  list = $state<Picked[]>(isPromoter ? stored() : []);

  has(id: number): boolean {
    return this.list.some((p) => p.id === id);
  }
  toggle(p: Picked): void {
    this.set(this.has(p.id) ? this.list.filter((x) => x.id !== p.id) : [...this.list, { id: p.id, code: p.code }]);
  }
  clear(): void {
    this.set([]);
  }
  private set(list: Picked[]): void {
    this.list = list;
    sessionStorage.setItem(KEY, JSON.stringify(list));
  }
}

export const picked = new PickedParcels();
