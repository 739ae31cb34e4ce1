/** The typed client of the server's API. Errors carry the server's message, which is written for people. */
import type { FeatureCollection, MultiPolygon, Point } from 'geojson';

import { session } from '../state/session.svelte.ts';
import type { ResponseOf } from '../../../server/contract/define.ts';
import type * as auditContract from '../../../server/contract/audit.ts';
import type * as searchContract from '../../../server/contract/search.ts';
import type * as parcelsContract from '../../../server/contract/parcels.ts';
import type * as projectsContract from '../../../server/contract/projects.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly details?: any,
  ) {
    super(message);
  }
}

async function parse<T>(res: Response): Promise<T> {
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    if (res.status === 401) session.expired();
    throw new ApiError(res.status, body?.error?.message ?? `${res.status} ${res.statusText}`, body?.error?.code, body?.error?.details);
  }
  return res.json() as Promise<T>;
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return parse<T>(await fetch(url, { signal, headers: { Accept: 'application/json' } }));
}

/** A write: JSON body, the session's CSRF token; errors carry the server's code and details (conflicts, repairs). */
export async function send<T = any>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<T> {
  return parse<T>(
    await fetch(url, {
      method,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': session.csrfToken ?? '' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

/** A file as the request body (CSV or Excel upload), with the CSRF token. */
export async function upload<T = any>(url: string, file: File): Promise<T> {
  const type = file.name.toLowerCase().endsWith('.xlsx') ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv';
  return parse<T>(
    await fetch(url, { method: 'POST', headers: { 'Content-Type': type, Accept: 'application/json', 'X-CSRF-Token': session.csrfToken ?? '' }, body: file }),
  );
}

export type HistoryEntry = ResponseOf<typeof auditContract.history>['entries'][number];

export type Bbox = [number, number, number, number];

export interface ZoneProps {
  id: number;
  code: string;
  name: string;
  name_en: string | null;
  level: 'national' | 'provincial';
  city: string;
  county: string | null;
  leading_industry: string | null;
  area_m2: number;
  approved_area_ha: number | null;
  parcel_count: number;
  project_count: number;
  label_point: Point;
  bbox: Bbox;
}

export interface ZoneRecord extends Omit<ZoneProps, 'label_point'> {
  version: number;
  contact_phone: string | null;
  part_count: number;
  parcel_area_m2: number;
  project_investment_wan: number;
  factory_building_count: number;
  land_use: { land_use: string; parcel_count: number; area_m2: number }[];
  parcel_status: { status: string; parcel_count: number; area_m2: number }[];
}

/** GET /api/parcels/:id (server/contract/parcels.ts). */
export type ParcelRecord = ResponseOf<typeof parcelsContract.getParcel>;

/** GET /api/projects/:id (server/contract/projects.ts). */
export type ProjectRecord = ResponseOf<typeof projectsContract.getProject>;

export type SearchResult = ResponseOf<typeof searchContract.search>['results'][number];

export interface ClientConfig {
  basemaps: { id: string; name: string; name_en: string; style?: string; tiles?: string[]; labels?: string[]; pmtiles?: string; attribution?: string }[];
  /** null on the operator's own data: then no "示意" notice. */
  demo: { asOf: string; illustrative: boolean } | null;
  parcelsMinZoom: number;
  /** The zone "today" is counted in (Asia/Shanghai by default). */
  timeZone: string;
}

export const api = {
  config: () => getJson<ClientConfig>('/api/config'),
  zones: () => getJson<FeatureCollection<MultiPolygon, ZoneProps>>('/api/zones'),
  zone: (id: number, signal?: AbortSignal) => getJson<ZoneRecord>(`/api/zones/${id}`, signal),
  parcel: (id: number, signal?: AbortSignal) => getJson<ParcelRecord>(`/api/parcels/${id}`, signal),
  project: (id: number, signal?: AbortSignal) => getJson<ProjectRecord>(`/api/projects/${id}`, signal),
  projects: () => getJson<ResponseOf<typeof projectsContract.listProjects>>('/api/projects'),
  history: (entity: 'zone' | 'parcel' | 'project', id: number, signal?: AbortSignal) =>
    getJson<ResponseOf<typeof auditContract.history>>(`/api/history/${entity}/${id}`, signal).then((r) => r.entries),
  get: <T = any>(url: string, signal?: AbortSignal) => getJson<T>(url, signal),
  search: (q: string, signal?: AbortSignal) =>
    getJson<ResponseOf<typeof searchContract.search>>(`/api/search?q=${encodeURIComponent(q)}`, signal).then((r) => r.results),
};

/**
 * Uploads a file as the raw request body with XMLHttpRequest, whose upload events give a progress bar
 * (fetch has none). Resolves with the JSON answer; rejects with an ApiError carrying the server's message.
 */
export function uploadFile<T = any>(url: string, file: File, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
    xhr.setRequestHeader('X-CSRF-Token', session.csrfToken ?? '');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: any = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else {
        if (xhr.status === 401) session.expired();
        reject(new ApiError(xhr.status, body?.error?.message ?? `${xhr.status} ${xhr.statusText}`, body?.error?.code, body?.error?.details));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'The upload failed (connection closed). If the file is very large, the server may have refused it.'));
    xhr.send(file);
  });
}
