/**
 * `amsgate sandbox subscription agree | refuse | fail-next`: plays the buyer
 * on a subscription's authorisation page, and the buyer's wallet for its
 * next payment (dunning tests), through the running sandbox gateway's
 * control API (`POST /sandbox/subscriptions/{id}/agree|refuse|next-payment`),
 * so that its clock, journal and notification delivery apply. The periods
 * are paid when `amsgate sandbox clock advance 1mo` reaches them.
 */
import type { Command } from 'commander';
import { addControlOptions, controlError, controlFetch, type ControlOptions } from '../control-api.js';
import { CliError, EXIT } from '../io.js';

type Print = (line: string) => void;

interface Decided {
  subscriptionId: string;
  status: string;
  redirectUrl: string;
}

/** The subscription id of a `normalUrl` (`…/subscribe/{id}`, any query dropped) or the id itself. */
export function subscriptionIdOf(normalUrlOrId: string): string {
  return normalUrlOrId.split('?')[0]!.split('/').filter((part) => part !== '').pop() ?? '';
}

export async function decideSubscription(normalUrlOrId: string, agree: boolean, options: ControlOptions & { json?: boolean }, print: Print): Promise<void> {
  const subscriptionId = subscriptionIdOf(normalUrlOrId);
  const decided = await subscriptionRequest<Decided>(options, `/sandbox/subscriptions/${encodeURIComponent(subscriptionId)}/${agree ? 'agree' : 'refuse'}`, {});
  if (options.json) return print(JSON.stringify({ subscriptionId: decided.subscriptionId, status: decided.status, redirectUrl: decided.redirectUrl }, null, 2));
  print(agree
    ? `Subscription ${decided.subscriptionId} is ${decided.status}: the running period is paid now, each next one when the sandbox clock reaches it`
    : `Subscription ${decided.subscriptionId} refused by the buyer: it is ${decided.status}`);
}

export async function failNextPayment(subscriptionId: string, options: ControlOptions & { resultCode: string; json?: boolean }, print: Print): Promise<void> {
  const answer = await subscriptionRequest<{ subscriptionId: string; nextPaymentResultCode: string }>(
    options, `/sandbox/subscriptions/${encodeURIComponent(subscriptionId)}/next-payment`, { resultCode: options.resultCode },
  );
  if (options.json) return print(JSON.stringify({ subscriptionId: answer.subscriptionId, nextPaymentResultCode: answer.nextPaymentResultCode }, null, 2));
  print(`The next payment of subscription ${answer.subscriptionId} fails with ${answer.nextPaymentResultCode}`);
}

async function subscriptionRequest<T>(options: ControlOptions, path: string, body: unknown): Promise<T> {
  const answer = await controlFetch(options, 'POST', path, body);
  if (answer.ok) return answer.json as T;
  const result = (answer.json as { result?: { resultCode?: unknown; resultMessage?: unknown } }).result;
  if (result !== undefined && typeof result.resultCode === 'string') {
    // An unknown subscription or a code no payment fails with: the command line is at fault (2); a decided or ended subscription: refused (1).
    const message = `${result.resultCode}: ${typeof result.resultMessage === 'string' ? result.resultMessage : ''}`;
    throw new CliError(message, answer.status === 404 || answer.status === 400 ? EXIT.usage : EXIT.failed);
  }
  if (answer.status === 404) {
    throw new CliError(`the gateway at ${answer.baseUrl} has no sandbox control API for subscriptions (it needs \`amsgate serve --mode sandbox\`)`, EXIT.failed);
  }
  throw controlError(options, 'POST', path, answer);
}

export function registerSubscriptionCommands(sandbox: Command, io: { out: Print }): void {
  const subscription = sandbox
    .command('subscription')
    .description("subscriptions of the running sandbox gateway: the buyer's answer on the authorisation page, and a failing next payment");
  for (const agree of [true, false]) {
    addControlOptions(
      subscription
        .command(agree ? 'agree' : 'refuse')
        .description(agree
          ? 'agree on the authorisation page, as the buyer: ACTIVE, notifySubscription CREATE, the running period paid at once'
          : 'refuse on the authorisation page, as the buyer: TERMINATED, notifySubscription CREATE with a failed result')
        .argument('<subscription>', 'the normalUrl subscriptions/create answered, or the subscriptionId at its end')
        .option('--json', 'print JSON'),
    ).action(async (subscriptionRef: string, options: ControlOptions & { json?: boolean }) => {
      await decideSubscription(subscriptionRef, agree, options, io.out);
    });
  }
  addControlOptions(
    subscription
      .command('fail-next')
      .description("the subscription's next payment attempt (when the clock reaches its period) fails with a code; USER_BALANCE_NOT_ENOUGH is retried a day later when the subscription allows retries, any other failure terminates it")
      .argument('<subscription-id>')
      .requiredOption('--result-code <code>', 'a code a payment fails with: USER_BALANCE_NOT_ENOUGH, RISK_REJECT, DO_NOT_HONOR, …')
      .option('--json', 'print JSON'),
  ).action(async (subscriptionId: string, options: ControlOptions & { resultCode: string; json?: boolean }) => {
    await failNextPayment(subscriptionIdOf(subscriptionId), options, io.out);
  });
}
