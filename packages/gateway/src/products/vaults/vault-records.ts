/** Vaultings and card tokens as the vault service sees them, and their mapping from rows. */
import type { UserName } from '@amsgate/protocol';
import type { Selectable } from 'kysely';
import { toNullableNumber, toNumber } from '../../store/columns.js';
import type { CardTokensTable, VaultingsTable, VaultingStatus } from './tables.js';

/** A card as kept: enough to find its test card and show it, never its number or CVV. */
export interface StoredCard {
  bin: string;
  lastFour: string;
  expiryMonth: string;
  expiryYear: string;
  holder: UserName | null;
}

export interface VaultingRecord {
  vaultingId: string;
  clientId: string;
  vaultingRequestId: string;
  source: 'SESSION' | 'DIRECT';
  status: VaultingStatus;
  resultCode: string;
  resultMessage: string;
  notifyUrl: string;
  redirectUrl: string | null;
  require3ds: boolean;
  metadata: string | null;
  /** The card submitted (waiting for its challenge) or stored; null before the buyer entered one. */
  card: StoredCard | null;
  cardToken: string | null;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  completedAt: number | null;
}

export interface CardTokenRecord {
  cardToken: string;
  clientId: string;
  kind: 'TOKEN' | 'NONCE';
  vaultingId: string | null;
  card: StoredCard;
  email: string | null;
  tokenExpiresAt: number;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
  usedAt: number | null;
}

function storedCardOf(row: {
  card_bin: string | null; card_last4: string | null; card_expiry_month: string | null; card_expiry_year: string | null; cardholder_name: string | null;
}): StoredCard | null {
  if (row.card_bin === null || row.card_last4 === null || row.card_expiry_month === null || row.card_expiry_year === null) return null;
  return {
    bin: row.card_bin,
    lastFour: row.card_last4,
    expiryMonth: row.card_expiry_month,
    expiryYear: row.card_expiry_year,
    holder: row.cardholder_name === null ? null : (JSON.parse(row.cardholder_name) as UserName),
  };
}

export function storedCardColumns(card: StoredCard | null) {
  return {
    card_bin: card?.bin ?? null,
    card_last4: card?.lastFour ?? null,
    card_expiry_month: card?.expiryMonth ?? null,
    card_expiry_year: card?.expiryYear ?? null,
    cardholder_name: card?.holder ? JSON.stringify(card.holder) : null,
  };
}

export function vaultingFromRow(row: Selectable<VaultingsTable>): VaultingRecord {
  return {
    vaultingId: row.vaulting_id,
    clientId: row.client_id,
    vaultingRequestId: row.vaulting_request_id,
    source: row.source,
    status: row.status,
    resultCode: row.result_code,
    resultMessage: row.result_message,
    notifyUrl: row.notify_url,
    redirectUrl: row.redirect_url,
    require3ds: toNumber(row.require_3ds) === 1,
    metadata: row.metadata,
    card: storedCardOf(row),
    cardToken: row.card_token,
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
    expiresAt: toNumber(row.expires_at),
    completedAt: toNullableNumber(row.completed_at),
  };
}

export function cardTokenFromRow(row: Selectable<CardTokensTable>): CardTokenRecord {
  return {
    cardToken: row.card_token,
    clientId: row.client_id,
    kind: row.kind,
    vaultingId: row.vaulting_id,
    // The columns are NOT NULL for tokens: a stored card always has its four facts.
    card: storedCardOf(row) as StoredCard,
    email: row.email,
    tokenExpiresAt: toNumber(row.token_expires_at),
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
    deletedAt: toNullableNumber(row.deleted_at),
    usedAt: toNullableNumber(row.used_at),
  };
}

export { testCardOf } from '../cards/test-cards.js';

/** A card's last valid moment: the end of its expiry month, UTC. */
export function cardExpiresAt(card: Pick<StoredCard, 'expiryMonth' | 'expiryYear'>): number {
  return Date.UTC(Number(card.expiryYear), Number(card.expiryMonth), 1) - 1;
}
