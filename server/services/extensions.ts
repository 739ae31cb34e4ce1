/**
 * Extensions of a parcel's agreed start date (《闲置土地处置办法》 Art. 8 / Art. 12): the list for the parcel
 * panel, and recording a new one — signed in, a role that edits land records, the parcel's zone among the
 * user's, the input checked by domain/startExtensions.ts, written in one transaction with its audit entry
 * (entity "parcel_extension", the parcel's extensions before and after). Extensions are never edited or
 * removed: a wrong one is corrected by the next agreement, and the history stays whole.
 */
import { can, type Actor } from '../../domain/permissions.ts';
import { SUPPLIED_OR_LATER, extensionInForce } from '../../domain/idleLand.ts';
import { EXTENSION_REASONS, checkExtensionInput, normaliseExtensionInput, type ExtensionReason } from '../../domain/startExtensions.ts';
import { recordAudit, snapshot } from '../audit.ts';
import { forbidden } from '../auth/middleware.ts';
import type { Db, Queryable } from '../db/types.ts';
import { badRequest, notFound } from '../lib/http.ts';

export interface StartExtensionRecord {
  id: number;
  previous_start_date: string;
  start_date: string;
  signed_on: string;
  reason: ExtensionReason;
  document_no: string;
  note: string | null;
  recorded_by: string;
  recorded_at: string;
}

export interface ParcelExtensions {
  parcel_id: number;
  zone_id: number;
  /** The agreed start date of the land contract (约定动工日期), as recorded on the parcel. */
  agreed_start_date: string | null;
  /** The date the idle rule counts from today: the latest extension's, else the contract's. */
  effective_start_date: string | null;
  /** Oldest first; the last one applies. */
  extensions: StartExtensionRecord[];
}

interface ParcelRow {
  id: number;
  zone_id: number;
  status: string;
  supplied_date: string | null;
  started_date: string | null;
  agreed_start_date: string | null;
}

const DATE = (column: string, as = column) => `to_char(${column}, 'YYYY-MM-DD') AS ${as}`;

async function parcelRow(db: Queryable, id: number, lock = false): Promise<ParcelRow> {
  const [row] = await db.query<ParcelRow>(
    `SELECT id, zone_id, status, ${DATE('supplied_date')}, ${DATE('started_date')}, ${DATE('agreed_start_date')} FROM parcels WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  if (!row) throw notFound(`没有编号为 ${id} 的地块。 Parcel ${id} does not exist.`);
  return row;
}

export async function parcelExtensions(db: Queryable, parcelId: number, today: string): Promise<ParcelExtensions> {
  const parcel = await parcelRow(db, parcelId);
  const extensions = await db.query<StartExtensionRecord>(
    `SELECT id, ${DATE('previous_start_date')}, ${DATE('start_date')}, ${DATE('signed_on')}, reason, document_no, note,
       recorded_by_name AS recorded_by, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS recorded_at
     FROM parcel_start_extensions WHERE parcel_id = $1 ORDER BY signed_on, id`,
    [parcelId],
  );
  return {
    parcel_id: parcel.id,
    zone_id: parcel.zone_id,
    agreed_start_date: parcel.agreed_start_date,
    effective_start_date: extensionInForce(extensions, today)?.start_date ?? parcel.agreed_start_date,
    extensions,
  };
}

/** Records an extension agreement; bad input is 400 with every problem, bilingual, and nothing written. */
export async function addExtension(db: Db, actor: Actor, parcelId: number, body: Record<string, unknown>, today: string): Promise<ParcelExtensions> {
  return db.transaction(async (tx) => {
    // The parcel row is locked: two extensions recorded at once are checked one after the other.
    const parcel = await parcelRow(tx, parcelId, true);
    if (!can(actor, 'parcel.editLandRecord', parcel.zone_id)) {
      throw forbidden('只能为本人负责的开发区的地块登记延期。 You may record extensions only for parcels of the zones you are assigned to.');
    }
    if (!SUPPLIED_OR_LATER.includes(parcel.status) || parcel.supplied_date === null) {
      throw badRequest('该地块尚未供应，没有可延长的动工期限。 The parcel is not supplied: there is no start date to extend.', { problems: [] });
    }
    const current = await parcelExtensions(tx, parcelId, today);
    const latest = current.extensions.at(-1) ?? null;
    const problems = checkExtensionInput(body, { ...parcel, latest, today });
    if (problems.length) throw badRequest(problems.map((p) => `${p.zh} ${p.en}`).join(' '), { problems });
    const input = normaliseExtensionInput(body);
    const before = await snapshot(tx, 'parcel_extension', parcelId);
    await tx.query(
      `INSERT INTO parcel_start_extensions (parcel_id, previous_start_date, start_date, signed_on, reason, document_no, note, recorded_by, recorded_by_name)
       VALUES ($1, $2::date, $3::date, $4::date, $5, $6, $7, $8, $9)`,
      [
        parcelId,
        latest?.start_date ?? parcel.agreed_start_date,
        input.start_date,
        input.signed_on,
        input.reason,
        input.document_no,
        input.note,
        actor.id > 0 ? actor.id : null,
        actor.username,
      ],
    );
    const reason = EXTENSION_REASONS.find((r) => r.key === input.reason)!;
    await recordAudit(tx, actor, {
      action: 'extend_start',
      entity: 'parcel_extension',
      entityId: parcelId,
      before,
      after: await snapshot(tx, 'parcel_extension', parcelId),
      note: `${latest?.start_date ?? parcel.agreed_start_date} → ${input.start_date} (${input.document_no}, ${reason.zh})`,
    });
    return parcelExtensions(tx, parcelId, today);
  });
}
