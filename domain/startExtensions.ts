/**
 * Extensions of a parcel's agreed start date (延长动工开发期限) under 《闲置土地处置办法》 Art. 8 and Art. 12(一):
 * when the delay is caused by the government or its departments, or by force majeure, the land bureau and
 * the land user sign a supplementary agreement (补充协议) with a new start date. The idle rule
 * (idleLand.ts) then counts from the latest date in force. What may be recorded is checked here, once, for
 * the server and the form.
 */
import { addYears } from './idleLand.ts';
import { isValidDate, msg, type Message } from './parcelFields.ts';

/** The causes Art. 8 lists (items 1–6 of its first paragraph, and force majeure in its second). */
export const EXTENSION_REASONS = [
  { key: 'land_not_delivered', article: '第八条第一款第（一）项', zh: '未按约定期限、条件交付土地', en: 'Land not delivered on the agreed terms or date' },
  { key: 'planning_change', article: '第八条第一款第（二）项', zh: '土地利用总体规划、城乡规划依法修改', en: 'Land-use or urban plan lawfully changed' },
  {
    key: 'policy_change',
    article: '第八条第一款第（三）项',
    zh: '国家出台相关政策，需修改规划和建设条件',
    en: 'New national policy requires changed planning and building conditions',
  },
  { key: 'petitions', article: '第八条第一款第（四）项', zh: '处置土地上相关群众信访事项', en: 'Petitions concerning the land being resolved' },
  { key: 'military_heritage', article: '第八条第一款第（五）项', zh: '军事管制、文物保护', en: 'Military control or protection of cultural relics' },
  { key: 'other_government', article: '第八条第一款第（六）项', zh: '政府、政府有关部门的其他行为', en: 'Other acts of the government or its departments' },
  { key: 'force_majeure', article: '第八条第二款', zh: '自然灾害等不可抗力', en: 'Natural disaster or other force majeure' },
] as const;
export type ExtensionReason = (typeof EXTENSION_REASONS)[number]['key'];
export const EXTENSION_REASON_KEYS: readonly string[] = EXTENSION_REASONS.map((r) => r.key);

export const EXTENSION_NOTE_MAX = 500;
export const EXTENSION_DOCUMENT_MAX = 60;

export interface ExtensionInput {
  start_date: string;
  signed_on: string;
  reason: ExtensionReason;
  document_no: string;
  note: string | null;
}

/** What the check needs of the parcel and of the extensions it already has. */
export interface ExtensionContext {
  supplied_date: string | null;
  started_date: string | null;
  /** The original agreed start date (约定动工日期). */
  agreed_start_date: string | null;
  /** The latest extension recorded so far, if any. */
  latest: { start_date: string; signed_on: string } | null;
  /** Today (YYYY-MM-DD): an agreement cannot be signed in the future. */
  today: string;
}

export type ExtensionProblem = Message & { field: string };

const problem = (field: string, en: string, zh: string): ExtensionProblem => ({ field, ...msg(en, zh) });

/**
 * The problems with a new extension, none when it may be recorded. Rules: the parcel is supplied with an
 * agreed start date and not started; the agreement is signed on a real date, not before the land was supplied
 * nor before the previous agreement, not in the future; the new date moves the start later than the date in
 * force, not before the signing day, and at most one year beyond the later of the two (Art. 12(一)).
 */
export function checkExtensionInput(body: Record<string, unknown>, ctx: ExtensionContext): ExtensionProblem[] {
  const problems: ExtensionProblem[] = [];
  if (ctx.agreed_start_date === null) {
    return [
      problem(
        'start_date',
        'The parcel has no agreed start date to extend: enter it in the land record first.',
        '该地块没有约定动工日期，无法延期：请先在供地记录中填写。',
      ),
    ];
  }
  if (ctx.started_date !== null) {
    return [
      problem(
        'start_date',
        `Work started on ${ctx.started_date}: the agreed start date can no longer be extended.`,
        `该地块已于 ${ctx.started_date} 动工，不能再延长动工期限。`,
      ),
    ];
  }
  const date = (field: 'start_date' | 'signed_on', zh: string, en: string) => {
    const v = body[field];
    if (typeof v !== 'string' || !isValidDate(v)) {
      problems.push(problem(field, `${en} must be a date YYYY-MM-DD between 1990 and 2100.`, `${zh}须为 1990–2100 年间的日期（YYYY-MM-DD）。`));
      return null;
    }
    return v;
  };
  const start = date('start_date', '延期后的约定动工日期', 'The new start date');
  const signed = date('signed_on', '协议签订日期', 'The signing date');
  if (typeof body.reason !== 'string' || !EXTENSION_REASON_KEYS.includes(body.reason)) {
    problems.push(
      problem('reason', `The reason is one of Art. 8's causes: ${EXTENSION_REASON_KEYS.join(', ')}.`, '延期原因须为《闲置土地处置办法》第八条所列情形之一。'),
    );
  }
  const doc = typeof body.document_no === 'string' ? body.document_no.trim() : '';
  if (!doc) problems.push(problem('document_no', "The agreement's number (协议编号 / 文号) is required.", '须填写协议编号或文号。'));
  else if (doc.length > EXTENSION_DOCUMENT_MAX || /[\r\n]/.test(doc))
    problems.push(
      problem(
        'document_no',
        `The agreement's number is one line of at most ${EXTENSION_DOCUMENT_MAX} characters.`,
        `协议编号须为一行，最多 ${EXTENSION_DOCUMENT_MAX} 个字符。`,
      ),
    );
  const note = body.note;
  if (note !== undefined && note !== null && typeof note !== 'string') problems.push(problem('note', 'The note is text.', '说明须为文字。'));
  else if (typeof note === 'string' && note.trim().length > EXTENSION_NOTE_MAX)
    problems.push(problem('note', `The note has at most ${EXTENSION_NOTE_MAX} characters.`, `说明最多 ${EXTENSION_NOTE_MAX} 个字符。`));
  else if (body.reason === 'other_government' && !(typeof note === 'string' && note.trim())) {
    problems.push(
      problem('note', 'For "other acts of the government" say which in the note.', '原因为“政府、政府有关部门的其他行为”时，须在说明中写明具体情形。'),
    );
  }

  if (signed) {
    if (signed > ctx.today)
      problems.push(
        problem('signed_on', `The agreement cannot be signed in the future (today is ${ctx.today}).`, `协议签订日期不能晚于今天（${ctx.today}）。`),
      );
    if (ctx.supplied_date && signed < ctx.supplied_date)
      problems.push(
        problem(
          'signed_on',
          `The agreement (${signed}) cannot be signed before the land was supplied (${ctx.supplied_date}).`,
          `协议签订日期（${signed}）不能早于供地日期（${ctx.supplied_date}）。`,
        ),
      );
    if (ctx.latest && signed < ctx.latest.signed_on)
      problems.push(
        problem(
          'signed_on',
          `The agreement (${signed}) cannot be signed before the previous one (${ctx.latest.signed_on}).`,
          `协议签订日期（${signed}）不能早于上一次延期协议（${ctx.latest.signed_on}）。`,
        ),
      );
  }
  if (start) {
    const current = ctx.latest?.start_date ?? ctx.agreed_start_date;
    if (start <= current) {
      problems.push(
        problem(
          'start_date',
          `The new start date (${start}) must be later than the date in force (${current}): an extension cannot move it earlier.`,
          `延期后的约定动工日期（${start}）须晚于现行约定动工日期（${current}）：延期不能提前或维持原日期。`,
        ),
      );
    } else if (signed) {
      if (start < signed)
        problems.push(
          problem(
            'start_date',
            `The new start date (${start}) cannot be before the agreement is signed (${signed}).`,
            `延期后的约定动工日期（${start}）不能早于协议签订日期（${signed}）。`,
          ),
        );
      const latestAllowed = addYears(current > signed ? current : signed, 1);
      if (start > latestAllowed) {
        problems.push(
          problem(
            'start_date',
            `An extension is at most one year (Art. 12): the new start date can be ${latestAllowed} at the latest.`,
            `延长动工开发期限最长不超过一年（第十二条）：延期后的约定动工日期最晚为 ${latestAllowed}。`,
          ),
        );
      }
    }
  }
  return problems;
}

/** The input as stored (trimmed; an empty note is none). Call after checkExtensionInput found nothing. */
export function normaliseExtensionInput(body: Record<string, unknown>): ExtensionInput {
  const note = typeof body.note === 'string' && body.note.trim() ? body.note.trim() : null;
  return {
    start_date: body.start_date as string,
    signed_on: body.signed_on as string,
    reason: body.reason as ExtensionReason,
    document_no: (body.document_no as string).trim(),
    note,
  };
}
