/** Errors about an imported file: they name the file, the feature or row, and the reason, in both languages. */
import { msg, type Message } from '../../domain/parcelFields.ts';
import { HttpError } from '../lib/http.ts';

export const featureAt = (n: number): Message => msg(`feature ${n}`, `第 ${n} 个要素`);
export const rowAt = (n: number): Message => msg(`row ${n}`, `第 ${n} 行`);

/** 422 (the file was received but cannot be used), or another status such as 413 for size. */
export function importError(file: string, where: Message | null, reason: Message, status = 422, code = 'import_bad_file'): HttpError {
  return new HttpError(status, code, `${file}${where ? `, ${where.en}` : ''}: ${reason.en}`, {
    file,
    where: where?.en ?? null,
    message_zh: `${file}${where ? `，${where.zh}` : ''}：${reason.zh}`,
  });
}
