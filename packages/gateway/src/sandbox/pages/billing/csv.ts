/**
 * RFC 4180 CSV: CRLF line ends, a field quoted when it holds a comma, a
 * quote or a line break, quotes doubled inside. Text a spreadsheet would
 * run as a formula (`=`, `+`, `-`, `@`, tab, CR first) is prefixed with `'`:
 * names and descriptions are the merchant's customers' own input.
 */
import { isDecimal, type Cell, type Table } from './table.js';

const FORMULA_START = /^[=+\-@\t\r]/;

function field(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function cellText(cell: Cell): string {
  if (isDecimal(cell)) return cell.decimal;
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

export function toCsv(table: Table): string {
  const lines = [table.columns.map(field), ...table.rows.map((row) => row.map((cell) => field(cellText(cell))))];
  return lines.map((line) => `${line.join(',')}\r\n`).join('');
}
