/**
 * `amsgate sandbox complete`: plays the buyer for a pending payment, as the
 * checkout page or the sandbox control API would, directly on the database.
 */
import { NotificationOutbox, PaymentService, systemClock, type Outcome } from '@amsgate/gateway';
import { AmsError } from '@amsgate/protocol';
import { withDatabase, type DatabaseOptions } from '../database-options.js';
import { CliError, EXIT } from '../io.js';

/** What the sandbox control API uses when a failure is asked for without a code. */
export const DEFAULT_FAIL_CODE = 'USER_BALANCE_NOT_ENOUGH';

export interface CompleteOptions extends DatabaseOptions {
  outcome: 'success' | 'fail';
  resultCode?: string;
  message?: string;
  json?: boolean;
}

export async function completePayment(paymentId: string, options: CompleteOptions, print: (line: string) => void): Promise<void> {
  const outcome = outcomeOf(options);
  const payment = await withDatabase(options, true, async (database) => {
    // Links are not handed out here, so the checkout URL builder is never used. The outbox
    // records the payment's notification in the same transaction; a running gateway delivers it.
    const payments = new PaymentService(database, systemClock, { cashierExpiryMs: 0, checkoutUrl: (id) => `/checkout/${id}` }, new NotificationOutbox());
    try {
      return await payments.complete(paymentId, outcome);
    } catch (error) {
      if (!(error instanceof AmsError)) throw error;
      // Unknown payment or bad result code: the command line is at fault (2); a payment no longer pending: refused (1).
      const message = `${error.code}: ${error.message}`;
      throw error.code === 'ORDER_STATUS_INVALID' ? new CliError(message, EXIT.failed) : new CliError(message);
    }
  });
  if (options.json) {
    print(JSON.stringify({
      paymentId: payment.paymentId,
      paymentRequestId: payment.paymentRequestId,
      clientId: payment.clientId,
      paymentStatus: payment.status,
      resultCode: payment.resultCode,
      resultMessage: payment.resultMessage,
    }, null, 2));
    return;
  }
  print(`Payment ${payment.paymentId} is now ${payment.status} (${payment.resultCode}: ${payment.resultMessage})`);
}

function outcomeOf(options: CompleteOptions): Outcome {
  if (options.outcome === 'success') {
    if (options.resultCode !== undefined || options.message !== undefined) {
      throw new CliError('--result-code and --message describe a failure: use them with --outcome fail');
    }
    return { kind: 'success' };
  }
  return { kind: 'fail', resultCode: options.resultCode ?? DEFAULT_FAIL_CODE, ...(options.message !== undefined ? { resultMessage: options.message } : {}) };
}
