/**
 * Dispute evidence: reading the defense document a merchant supplies, and
 * the evidence template the sandbox pre-fills.
 *
 * - A supplied document is Base64 (line breaks and spaces ignored) of a PDF
 *   or a Word file (`.docx`, or the older `.doc`): the download answers its
 *   format from the SDK's enum, PDF or WORD, so other files are refused
 *   (amsgate's choice; the docs name no formats for the upload). Its size is
 *   bounded by the field's limit, 1,000,000 Base64 characters (the SDK's and
 *   the docs' maximum), so at most 750,000 bytes.
 * - The template (`DISPUTE_EVIDENCE_TEMPLATE`, Antom's "merchant letter"
 *   pre-filled with the transaction) is a one-page PDF the sandbox writes
 *   from the dispute and its payment alone, so the same dispute always gets
 *   the same bytes.
 */
import { AmsError } from '@amsgate/protocol';
import { formatResponseTime } from '@amsgate/protocol';
import { moneyText } from '../payments/money-text.js';
import type { DisputeRecord } from './dispute-record.js';

export type EvidenceFormat = 'PDF' | 'WORD';

export interface ReadEvidence {
  format: EvidenceFormat;
  bytes: Buffer;
  /** Canonical Base64 of `bytes` (what downloadDisputeEvidence answers). */
  base64: string;
}

const FIELD = 'disputeEvidence';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The defense document of a supplyDefenseDocument request: PARAM_ILLEGAL naming `disputeEvidence` when it is not Base64 of a PDF or Word file. */
export function readEvidence(text: string): ReadEvidence {
  const compact = text.replace(/[\r\n\t ]/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw AmsError.paramIllegal(FIELD, 'is not Base64 (A-Z, a-z, 0-9, + and /, padded with = to a multiple of 4 characters)');
  }
  const bytes = Buffer.from(compact, 'base64');
  const format = formatOf(bytes);
  if (format === undefined) {
    throw AmsError.paramIllegal(FIELD, 'is not a PDF or a Word document (a PDF starts with %PDF-, a .docx file with PK, a .doc file with D0 CF 11 E0)');
  }
  return { format, bytes, base64: bytes.toString('base64') };
}

function formatOf(bytes: Buffer): EvidenceFormat | undefined {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'PDF';
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'WORD';
  if (bytes.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return 'WORD';
  return undefined;
}

/** The pre-filled evidence template of a dispute: a one-page PDF, the same bytes every time. */
export function evidenceTemplate(dispute: DisputeRecord): Buffer {
  const lines = [
    'Merchant letter - dispute evidence template (amsgate sandbox)',
    '',
    `Dispute ID: ${dispute.disputeId}`,
    `Dispute type: ${dispute.kind === 'RDR' ? 'Rapid dispute resolution' : 'Chargeback'}`,
    `Disputed amount: ${moneyText(dispute.currency, dispute.amount)}`,
    `Reason: ${dispute.reasonCode} ${dispute.reasonMsg}`,
    `Dispute source: ${dispute.source}`,
    `Dispute time: ${formatResponseTime(dispute.opensAt)}`,
    `Defense due: ${formatResponseTime(dispute.defenseDueAt)}`,
    '',
    `Payment ID: ${dispute.paymentId}`,
    `Payment request ID: ${dispute.paymentRequestId}`,
    ...(dispute.captureId !== null ? [`Capture ID: ${dispute.captureId}`] : []),
    '',
    'Describe the goods or services delivered, attach proof of delivery,',
    'the buyer\'s correspondence and your refund policy, sign below and',
    'supply this letter with supplyDefenseDocument.',
    '',
    'Signature: ______________________    Date: ____________',
  ];
  return simplePdf(lines);
}

/** A one-page A4 PDF of text lines in Helvetica (ASCII; other characters print as ?). */
function simplePdf(lines: readonly string[]): Buffer {
  const text = lines
    .map((line, i) => `${i === 0 ? '' : 'T* '}(${pdfString(line)}) Tj`)
    .join('\n');
  const stream = `BT\n/F1 11 Tf\n14 TL\n56 780 Td\n${text}\nET\n`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}endstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xrefAt = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

function pdfString(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').replace(/([\\()])/g, '\\$1');
}
