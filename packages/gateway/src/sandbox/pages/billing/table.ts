/** What an export file holds, before it is written as CSV or XLSX. */

/** A decimal amount (`"12.34"`): a number to a spreadsheet, text to nothing else. */
export interface DecimalCell {
  readonly decimal: string;
}

/** Text, or a decimal amount; an empty string is an empty cell. */
export type Cell = string | DecimalCell;

export interface Table {
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<readonly Cell[]>;
}

export function isDecimal(cell: Cell): cell is DecimalCell {
  return typeof cell !== 'string';
}
