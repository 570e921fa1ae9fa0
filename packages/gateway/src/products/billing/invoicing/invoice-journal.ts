/**
 * The journal line pair an invoice payment leaves. Billing invoices are the
 * merchant's claims on its customers, not the gateway's money: an amsgate
 * payment already moved its money (PAY, payment method → merchant balance),
 * and an offline one never passed through the gateway. So the entry
 * records the settlement on the merchant's billing accounts: the customer's
 * receivable is settled by what paid it (the amsgate payment, or the
 * offline method), under the amsgate paymentId when there is one (it shows
 * in that payment's timeline) and the invoice id otherwise.
 */
import { recordJournal } from '../../../ledger/journal.js';
import type { Tx } from '../../../schema.js';


export const billingAccounts = {
  /** What the merchant's customers owe on invoices, settled as they are paid. */
  receivable: (clientId: string) => `merchant:${clientId}:billing_receivable`,
  /** What settled them: `AMSGATE` (a gateway payment) or the offline method. */
  settledBy: (clientId: string, method: string) => `merchant:${clientId}:billing_settled:${method}`,
} as const;

export async function recordInvoicePayment(
  tx: Tx, entry: { clientId: string; invoiceId: string; paymentId: string | undefined; currency: string; amountMinor: bigint; method: string; now: number },
): Promise<void> {
  if (entry.amountMinor === 0n) return;
  await recordJournal(tx, {
    clientId: entry.clientId,
    paymentId: entry.paymentId ?? entry.invoiceId,
    movement: 'INVOICE_PAYMENT',
    now: entry.now,
    lines: [
      { account: billingAccounts.settledBy(entry.clientId, entry.method), currency: entry.currency, amount: entry.amountMinor },
      { account: billingAccounts.receivable(entry.clientId), currency: entry.currency, amount: -entry.amountMinor },
    ],
  });
}
