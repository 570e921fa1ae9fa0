/** The journal table (migration 0001, `journal-migration.ts`), as Kysely sees it. */
import type { IntColumn } from '../store/columns.js';

/** Append-only double-entry journal: the entries of one journal_id sum to zero per currency. */
export interface JournalEntriesTable {
  /** Time-ordered id, so entries sort in the order they were written. */
  entry_id: string;
  journal_id: string;
  client_id: string;
  payment_id: string;
  /** What moved the money: `PAY`, `CAPTURE`, `REFUND`, `VOID`, … */
  movement: string;
  account: string;
  currency: string;
  /** Signed minor units: debit positive, credit negative. */
  amount: IntColumn;
  created_at: IntColumn;
}

export interface LedgerTables {
  journal_entries: JournalEntriesTable;
}
