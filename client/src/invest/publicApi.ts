/** The public catalogue's API client: it knows only /api/public, never an internal route. */
import type { Feature, FeatureCollection, MultiPolygon } from 'geojson';
import type { StandardLandIndicators } from '../../../domain/parcelFields.ts';

export interface PublicParcel extends StandardLandIndicators {
  id: number;
  code: string;
  zone_id: number;
  zone_name: string;
  zone_name_en: string | null;
  zone_level: 'national' | 'provincial';
  city: string;
  county: string | null;
  leading_industry: string | null;
  land_use_code: string;
  area_m2: number;
  is_standard_land: boolean;
  infrastructure: Record<string, boolean>;
  land_price_wan: number | null;
  contact_phone?: string | null;
  bbox?: [number, number, number, number];
}

export interface PublicZone {
  id: number;
  name: string;
  name_en: string | null;
  level: 'national' | 'provincial';
  city: string;
  county: string | null;
  leading_industry: string | null;
  contact_phone: string | null;
  available_count: number;
  available_area_m2: number;
  bbox: [number, number, number, number];
}

export interface PublicFactory {
  id: number;
  name: string;
  zone_id: number;
  zone_name: string;
  city: string;
  floors: number | null;
  floor_area_m2: number;
  free_area_m2: number;
  lon: number;
  lat: number;
}

export class PublicApiError extends Error {
  constructor(readonly status: number, message: string, readonly code?: string) {
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

export type ParcelCollection = FeatureCollection<MultiPolygon, PublicParcel> & { count: number; limit: number };

export const publicApi = {
  parcels: (query: URLSearchParams) => get<ParcelCollection>(`/api/public/parcels?${query}`),
  parcel: (id: number) =>
    get<{ parcel: PublicParcel; geometry: MultiPolygon; zone: PublicZone & { geometry: MultiPolygon }; generated_on: string; illustrative: boolean }>(`/api/public/parcels/${id}`),
  zones: () => get<{ zones: PublicZone[] }>('/api/public/zones').then((r) => r.zones),
  factories: (query: URLSearchParams) => get<{ factories: PublicFactory[] }>(`/api/public/factories?${query}`).then((r) => r.factories),
  shortlist: (token: string) =>
    get<{ title: string; note: string | null; created_on: string; parcels: FeatureCollection<MultiPolygon, PublicParcel>; unavailable_count: number }>(
      `/api/public/shortlists/${encodeURIComponent(token)}`,
    ),
};

export type ParcelFeature = Feature<MultiPolygon, PublicParcel>;
