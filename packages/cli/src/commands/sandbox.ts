/**
 * `amsgate sandbox complete`: plays the buyer for a pending payment, as the
 * checkout page does, through the running sandbox gateway's control API
 * (`POST /sandbox/payments/{id}/complete`), so that the gateway's sandbox
 * clock, its scheduled outcomes and its notification delivery all apply.
 */
import { controlError, controlFetch, type ControlOptions } from '../control-api.js';
import { CliError, EXIT } from '../io.js';

/** What the sandbox control API uses when a failure is asked for without a code. */
export const DEFAULT_FAIL_CODE = 'USER_BALANCE_NOT_ENOUGH';

export interface CompleteOptions extends ControlOptions {
  outcome: 'success' | 'fail';
  resultCode?: string;
  message?: string;
  json?: boolean;
}

/** The body `POST /sandbox/payments/{id}/complete` takes. */
interface CompleteBody {
  outcome: 'success' | 'fail';
  resultCode?: string;
  resultMessage?: string;
}

/** What `POST /sandbox/payments/{id}/complete` answers. */
interface CompleteAnswer {
  paymentId: string;
  paymentRequestId: string;
  clientId: string;
  paymentStatus: string;
  paymentResultCode: string;
  paymentResultMessage: string;
}

export async function completePayment(paymentId: string, options: CompleteOptions, print: (line: string) => void): Promise<void> {
  const body = bodyOf(options);
  const path = `/sandbox/payments/${encodeURIComponent(paymentId)}/complete`;
  const answer = await controlFetch(options, 'POST', path, body);
  if (!answer.ok) {
    const result = (answer.json as { result?: { resultCode?: unknown; resultMessage?: unknown } }).result;
    if (result !== undefined && typeof result.resultCode === 'string') {
      // Unknown payment or bad result code: the command line is at fault (2); a payment no longer pending: refused (1).
      const message = `${result.resultCode}: ${typeof result.resultMessage === 'string' ? result.resultMessage : ''}`;
      throw new CliError(message, answer.status === 404 || answer.status === 400 ? EXIT.usage : EXIT.failed);
    }
    if (answer.status === 404) {
      // No such route: a gateway-mode server (or not amsgate at all) answers there.
      throw new CliError(`the gateway at ${answer.baseUrl} has no sandbox control API (sandbox complete needs \`amsgate serve --mode sandbox\`)`, EXIT.failed);
    }
    throw controlError(options, 'POST', path, answer);
  }
  const done = answer.json as CompleteAnswer;
  if (options.json) {
    print(JSON.stringify({
      paymentId: done.paymentId,
      paymentRequestId: done.paymentRequestId,
      clientId: done.clientId,
      paymentStatus: done.paymentStatus,
      resultCode: done.paymentResultCode,
      resultMessage: done.paymentResultMessage,
    }, null, 2));
    return;
  }
  print(`Payment ${done.paymentId} is now ${done.paymentStatus} (${done.paymentResultCode}: ${done.paymentResultMessage})`);
}

function bodyOf(options: CompleteOptions): CompleteBody {
  if (options.outcome === 'success') {
    if (options.resultCode !== undefined || options.message !== undefined) {
      throw new CliError('--result-code and --message describe a failure: use them with --outcome fail');
    }
    return { outcome: 'success' };
  }
  return {
    outcome: 'fail',
    resultCode: options.resultCode ?? DEFAULT_FAIL_CODE,
    ...(options.message !== undefined ? { resultMessage: options.message } : {}),
  };
}
