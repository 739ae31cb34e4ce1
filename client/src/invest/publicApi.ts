/** The public catalogue's API client: it knows only /api/public, never an internal route. Its types are the contract's. */
import type { ResponseOf } from '../../../server/contract/define.ts';
import type * as c from '../../../server/contract/public.ts';

/** A parcel as the catalogue lists it; on its sheet it also has the zone's contact and its bounding box. */
export type PublicParcel = ResponseOf<typeof c.listParcels>['features'][number]['properties'] &
  Partial<Pick<ResponseOf<typeof c.parcelSheet>['parcel'], 'contact_phone' | 'bbox'>>;
export type PublicZone = ResponseOf<typeof c.listZones>['zones'][number];
export type PublicFactory = ResponseOf<typeof c.listFactories>['factories'][number];
export type ParcelCollection = ResponseOf<typeof c.listParcels>;
export type ParcelFeature = ParcelCollection['features'][number];
export type ParcelSheet = ResponseOf<typeof c.parcelSheet>;
export type Shortlist = ResponseOf<typeof c.shortlist>;

export class PublicApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

async function get<T>(path: string): Promise<T> {
  if (!path.startsWith('/api/public/')) throw new Error('The public pages use only the public API.');
  const res = await fetch(path, { headers: { Accept: 'application/json' }, credentials: 'omit' });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new PublicApiError(res.status, body?.error?.message ?? `${res.status}`, body?.error?.code);
  return body as T;
}

export const publicApi = {
  parcels: (query: URLSearchParams) => get<ParcelCollection>(`/api/public/parcels?${query}`),
  parcel: (id: number) => get<ParcelSheet>(`/api/public/parcels/${id}`),
  zones: () => get<ResponseOf<typeof c.listZones>>('/api/public/zones').then((r) => r.zones),
  factories: (query: URLSearchParams) => get<ResponseOf<typeof c.listFactories>>(`/api/public/factories?${query}`).then((r) => r.factories),
  shortlist: (token: string) => get<Shortlist>(`/api/public/shortlists/${encodeURIComponent(token)}`),
};
