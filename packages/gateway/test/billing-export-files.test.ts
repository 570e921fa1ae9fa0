/**
 * The export file writers on their own: CSV quoting and formula guarding,
 * and the XLSX workbook read back by a hand-written ZIP reader that checks
 * every local header against the central directory and every CRC-32.
 */
import { describe, expect, it } from 'vitest';
import { toCsv } from '../src/sandbox/pages/billing/csv.js';
import { columnName, toXlsx } from '../src/sandbox/pages/billing/xlsx.js';
import { zipStored } from '../src/sandbox/pages/billing/zip.js';
import { decimalOf } from '../src/sandbox/pages/billing/export-table.js';
import { readStoredZip } from './stored-zip-reader.js';

describe('CSV', () => {
  it('quotes commas, quotes and line breaks, ends lines with CRLF, and keeps text from running as a formula', () => {
    const csv = toCsv({
      columns: ['Name', 'Note', 'Total'],
      rows: [
        ['Smith, Jo', 'said "hi"', { decimal: '12.34' }],
        ['=HYPERLINK("x")', 'two\nlines', { decimal: '-0.50' }],
        ['', '@cmd', { decimal: '1000' }],
      ],
    });
    expect(csv).toBe('Name,Note,Total\r\n"Smith, Jo","said ""hi""",12.34\r\n"\'=HYPERLINK(""x"")","two\nlines",-0.50\r\n,\'@cmd,1000\r\n');
  });

  it('writes amounts in the currency\'s major units, exactly', () => {
    expect(decimalOf({ currency: 'USD', value: '6674' }, 'USD')).toEqual({ decimal: '66.74' });
    expect(decimalOf({ currency: 'JPY', value: '1000' }, 'JPY')).toEqual({ decimal: '1000' });
    expect(decimalOf({ currency: 'KWD', value: '5' }, 'KWD')).toEqual({ decimal: '0.005' });
    expect(decimalOf({ currency: 'USD', value: '-250' }, 'USD')).toEqual({ decimal: '-2.50' });
    expect(decimalOf({ currency: 'USD', value: '123456789012345678901' }, 'USD')).toEqual({ decimal: '1234567890123456789.01' });
    expect(decimalOf(undefined, 'USD')).toBe('');
  });
});

describe('stored ZIP', () => {
  it('writes local headers, a central directory and CRCs a reader accepts; UTF-8 names; the DOS time of the date given', () => {
    const zip = zipStored([{ name: 'a.txt', data: Buffer.from('hello') }, { name: 'dir/ü.xml', data: Buffer.alloc(0) }], new Date('2026-04-30T13:45:58Z'));
    const entries = readStoredZip(zip);
    expect(entries.map((e) => [e.name, e.data.toString('utf8')])).toEqual([['a.txt', 'hello'], ['dir/ü.xml', '']]);
    expect(entries[0]!.crc).toBe(0x3610a686);
    expect(entries[0]!.dosTime).toBe((13 << 11) | (45 << 5) | 29);
    expect(entries[0]!.dosDate).toBe(((2026 - 1980) << 9) | (4 << 5) | 30);
    expect(zip.readUInt16LE(6) & 0x0800, 'UTF-8 name flag').toBe(0x0800);
  });
});

describe('XLSX', () => {
  it('names columns A…Z, AA…', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('holds the parts a workbook needs, one sheet of inline strings with amounts as numbers, escaped', () => {
    const xlsx = toXlsx({
      columns: ['Invoice', 'Total'],
      rows: [['<A&B> "q"', { decimal: '66.74' }], ['=1+1', { decimal: '1234567890123456.78' }], ['bad\u0001char', '']],
    }, 'Invoices', new Date('2026-01-02T00:00:00Z'));
    expect(xlsx.subarray(0, 4).toString('hex'), 'a ZIP').toBe('504b0304');
    const entries = new Map(readStoredZip(xlsx).map((e) => [e.name, e.data.toString('utf8')]));
    expect([...entries.keys()]).toEqual(['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/worksheets/sheet1.xml']);
    expect(entries.get('[Content_Types].xml')).toContain('PartName="/xl/worksheets/sheet1.xml"');
    expect(entries.get('xl/workbook.xml')).toContain('<sheet name="Invoices" sheetId="1" r:id="rId1"/>');
    const sheet = entries.get('xl/worksheets/sheet1.xml')!;
    const cells = [...sheet.matchAll(/<c r="([A-Z]+\d+)"( t="inlineStr")?>(?:<is><t xml:space="preserve">(.*?)<\/t><\/is>|<v>(.*?)<\/v>)<\/c>/g)]
      .map((m) => [m[1], m[2] === undefined ? 'n' : 's', m[3] ?? m[4]]);
    expect(cells).toEqual([
      ['A1', 's', 'Invoice'], ['B1', 's', 'Total'],
      ['A2', 's', '&lt;A&amp;B&gt; &quot;q&quot;'], ['B2', 'n', '66.74'],
      // Text is never a formula in an inline string; 18 digits would lose some as a double, so that amount stays text.
      ['A3', 's', '=1+1'], ['B3', 's', '1234567890123456.78'],
      ['A4', 's', 'badchar'],
    ]);
    expect(sheet).not.toContain('<f>');
  });
});
