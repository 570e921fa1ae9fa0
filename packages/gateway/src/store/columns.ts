/**
 * Column types every room's tables use, and reading them back. Times are UTC
 * epoch milliseconds; money is minor units. Integer columns read back as
 * `number | bigint | string` depending on the driver (SQLite gives bigint
 * with safe integers on, pg gives its int8 parser's output), so repositories
 * convert with `toNumber` / `toBigInt`.
 */
import type { ColumnType } from 'kysely';

/** An INTEGER/BIGINT column: written as number or bigint, read as whatever the driver gives. */
export type IntColumn = ColumnType<number | bigint | string, number | bigint, number | bigint>;
export type NullableIntColumn = ColumnType<number | bigint | string | null, number | bigint | null, number | bigint | null>;

export function toNumber(value: number | bigint | string): number {
  return typeof value === 'number' ? value : Number(value);
}

export function toNullableNumber(value: number | bigint | string | null): number | null {
  return value === null ? null : toNumber(value);
}

export function toBigInt(value: number | bigint | string): bigint {
  return typeof value === 'bigint' ? value : BigInt(value);
}
