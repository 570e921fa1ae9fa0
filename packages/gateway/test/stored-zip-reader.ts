/**
 * A hand-written reader of stored-only ZIP archives for the export tests:
 * from the end-of-central-directory record, each entry's central header is
 * checked against its local header, and its data against its CRC-32.
 */
import { crc32 } from 'node:zlib';
import { expect } from 'vitest';

export interface ReadEntry {
  name: string;
  data: Buffer;
  crc: number;
  dosTime: number;
  dosDate: number;
}

/** Reads a stored-only ZIP from its end-of-central-directory record, cross-checking each entry's local header. */
export function readStoredZip(zip: Buffer): ReadEntry[] {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end), 'end of central directory signature').toBe(0x06054b50);
  const count = zip.readUInt16LE(end + 10);
  const directorySize = zip.readUInt32LE(end + 12);
  let at = zip.readUInt32LE(end + 16);
  expect(at + directorySize, 'central directory ends where the end record starts').toBe(end);
  const entries: ReadEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    expect(zip.readUInt32LE(at), `central header ${i}`).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 20);
    expect(zip.readUInt32LE(at + 24)).toBe(size);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const localAt = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    expect(method, `${name} is stored`).toBe(0);
    expect(zip.readUInt32LE(localAt), `${name} local header`).toBe(0x04034b50);
    expect(zip.readUInt32LE(localAt + 14), `${name} local CRC`).toBe(crc);
    expect(zip.readUInt32LE(localAt + 18), `${name} local size`).toBe(size);
    const localName = zip.readUInt16LE(localAt + 26);
    const dataAt = localAt + 30 + localName + zip.readUInt16LE(localAt + 28);
    expect(zip.subarray(localAt + 30, localAt + 30 + localName).toString('utf8')).toBe(name);
    const data = zip.subarray(dataAt, dataAt + size);
    expect(crc32(data), `${name} CRC-32 of its data`).toBe(crc);
    entries.push({ name, data, crc, dosTime: zip.readUInt16LE(localAt + 10), dosDate: zip.readUInt16LE(localAt + 12) });
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

const XML_ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };

/** An XLSX's first sheet as rows of cell text (numbers as written), by cell reference, so an empty cell is an empty string. */
export function xlsxRows(xlsx: Buffer): string[][] {
  const sheet = readStoredZip(xlsx).find((entry) => entry.name === 'xl/worksheets/sheet1.xml');
  if (sheet === undefined) throw new Error('no xl/worksheets/sheet1.xml in the workbook');
  const rows: string[][] = [];
  for (const row of sheet.data.toString('utf8').matchAll(/<row r="(\d+)">(.*?)<\/row>/g)) {
    const cells: string[] = [];
    for (const cell of row[2]!.matchAll(/<c r="([A-Z]+)\d+"(?: t="inlineStr")?>(?:<is><t xml:space="preserve">(.*?)<\/t><\/is>|<v>(.*?)<\/v>)<\/c>/g)) {
      const column = [...cell[1]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
      while (cells.length < column) cells.push('');
      cells[column] = (cell[2] ?? cell[3] ?? '').replace(/&(amp|lt|gt|quot|apos);/g, (entity) => XML_ENTITIES[entity] ?? entity);
    }
    rows[Number(row[1]) - 1] = cells;
  }
  return rows;
}
