/**
 * CSV cells that a spreadsheet would run as a formula (CSV injection): a zone named `=HYPERLINK("http://x","y")`
 * must open in Excel as that text, not as a link. A cell starting with = + - @, or with a tab or carriage return,
 * gets a leading apostrophe (OWASP's advice; Excel shows the text and hides the apostrophe). Plain numbers such
 * as -12.5 are left alone: they are numbers, not formulas. Our CSV reader takes the apostrophe off again, so an
 * export imports back unchanged.
 */
import { stringify, type Options } from 'csv-stringify/sync';

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function neutraliseCsvCell(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** Undoes neutraliseCsvCell on a cell read from a CSV file. */
export function restoreCsvCell(text: string): string {
  return text.length > 1 && text[0] === "'" && FORMULA_START.test(text.slice(1)) && !PLAIN_NUMBER.test(text.slice(1)) ? text.slice(1) : text;
}

/** csv-stringify with every text cell neutralised; the one way the app writes CSV. */
export function stringifyCsv(records: unknown[][], options: Options = {}): string {
  return stringify(records, { ...options, cast: { ...options.cast, string: (value: string) => neutraliseCsvCell(value) } });
}
