/**
 * `amsgate sandbox dispute open | judge | cancel`: plays the buyer's bank
 * and the card network for a payment's dispute, through the running
 * sandbox gateway's control API (`POST /sandbox/payments/{id}/disputes`,
 * `POST /sandbox/disputes/{id}/judge|cancel`), so that its clock, journal
 * and notification delivery apply. The merchant's side (acceptDispute,
 * supplyDefenseDocument) is `amsgate call`.
 */
import { Option, type Command } from 'commander';
import { addControlOptions, controlError, controlFetch, type ControlOptions } from '../control-api.js';
import { CliError, EXIT } from '../io.js';

type Print = (line: string) => void;

/** What the control API answers about a dispute. */
interface DisputeView {
  disputeId: string;
  paymentId: string;
  kind: string;
  status: string;
  judgedResult: string | null;
  disputeAmount: { currency: string; value: string };
  reasonCode: string;
  reasonMsg: string;
  disputeTime: string;
  defenseDueTime: string;
}

export interface OpenDisputeOptions extends ControlOptions {
  reason?: string;
  amount?: string;
  defenseDue?: string;
  rdr?: boolean;
  json?: boolean;
}

export async function openDispute(paymentId: string, options: OpenDisputeOptions, print: Print): Promise<void> {
  const body = {
    ...(options.reason !== undefined ? { reasonCode: options.reason } : {}),
    ...(options.amount !== undefined ? { amount: { value: options.amount } } : {}),
    ...(options.defenseDue !== undefined ? { defenseDueInMs: options.defenseDue } : {}),
    ...(options.rdr ? { rdr: true } : {}),
  };
  const dispute = await disputeRequest(options, `/sandbox/payments/${encodeURIComponent(paymentId)}/disputes`, body);
  if (options.json) return print(JSON.stringify(dispute, null, 2));
  const amount = `${dispute.disputeAmount.value} ${dispute.disputeAmount.currency} (minor units)`;
  print(dispute.kind === 'RDR'
    ? `Dispute ${dispute.disputeId} of payment ${dispute.paymentId}, ${amount}, resolved by RDR: the amount went to the buyer`
    : `Dispute ${dispute.disputeId} opened on payment ${dispute.paymentId}: ${amount}, reason ${dispute.reasonCode}; defense due ${dispute.defenseDueTime}`);
}

export async function judgeDispute(disputeId: string, options: ControlOptions & { result: string; json?: boolean }, print: Print): Promise<void> {
  const dispute = await disputeRequest(options, `/sandbox/disputes/${encodeURIComponent(disputeId)}/judge`, { result: options.result.toUpperCase() });
  if (options.json) return print(JSON.stringify(dispute, null, 2));
  print(`Dispute ${dispute.disputeId} judged: the merchant ${dispute.judgedResult === 'WON' ? 'won' : 'lost'}`);
}

export async function cancelDispute(disputeId: string, options: ControlOptions & { json?: boolean }, print: Print): Promise<void> {
  const dispute = await disputeRequest(options, `/sandbox/disputes/${encodeURIComponent(disputeId)}/cancel`, {});
  if (options.json) return print(JSON.stringify(dispute, null, 2));
  print(`Dispute ${dispute.disputeId} cancelled by the buyer: the amount went back to the merchant`);
}

async function disputeRequest(options: ControlOptions, path: string, body: unknown): Promise<DisputeView> {
  const answer = await controlFetch(options, 'POST', path, body);
  if (!answer.ok) {
    const result = (answer.json as { result?: { resultCode?: unknown; resultMessage?: unknown } }).result;
    if (result !== undefined && typeof result.resultCode === 'string') {
      // An unknown payment or dispute, or bad input: the command line is at fault (2); a state that does not allow it: refused (1).
      const message = `${result.resultCode}: ${typeof result.resultMessage === 'string' ? result.resultMessage : ''}`;
      throw new CliError(message, answer.status === 404 || answer.status === 400 ? EXIT.usage : EXIT.failed);
    }
    if (answer.status === 404) {
      throw new CliError(`the gateway at ${answer.baseUrl} has no sandbox control API for disputes (it needs \`amsgate serve --mode sandbox\`)`, EXIT.failed);
    }
    throw controlError(options, 'POST', path, answer);
  }
  return (answer.json as { dispute: DisputeView }).dispute;
}

export function registerDisputeCommands(sandbox: Command, io: { out: Print }): void {
  const dispute = sandbox.command('dispute').description("disputes of the running sandbox gateway's payments: open one as the buyer's bank, judge or cancel it");
  addControlOptions(
    dispute
      .command('open')
      .description('open a dispute (chargeback) on a successful payment: its amount is frozen and notifyDispute DISPUTE_CREATED is sent')
      .argument('<payment-id>')
      .option('--reason <code>', 'the dispute reason code, e.g. 10.4, 13.1 (default), 13.3, 4837, 4853')
      .option('--amount <value>', 'the disputed amount in minor units of the payment currency (default: all that is left to dispute)')
      .option('--defense-due <duration>', 'the defense window, e.g. 48h or 7d (default 7d)')
      .option('--rdr', 'a rapid dispute resolution: resolved against the merchant at once (RDR_RESOLVED)')
      .option('--json', 'print JSON'),
  ).action(async (paymentId: string, options: OpenDisputeOptions) => {
    await openDispute(paymentId, options, io.out);
  });
  addControlOptions(
    dispute
      .command('judge')
      .description('judge a defended dispute (DISPUTE_JUDGED): the merchant wins (the amount comes back) or loses (it goes to the buyer)')
      .argument('<dispute-id>')
      .addOption(new Option('--result <result>', 'win or lose').choices(['win', 'lose', 'WIN', 'LOSE']).makeOptionMandatory())
      .option('--json', 'print JSON'),
  ).action(async (disputeId: string, options: ControlOptions & { result: string; json?: boolean }) => {
    await judgeDispute(disputeId, options, io.out);
  });
  addControlOptions(
    dispute
      .command('cancel')
      .description('the buyer withdraws an open or defended dispute (DISPUTE_CANCELLED): the amount goes back to the merchant')
      .argument('<dispute-id>')
      .option('--json', 'print JSON'),
  ).action(async (disputeId: string, options: ControlOptions & { json?: boolean }) => {
    await cancelDispute(disputeId, options, io.out);
  });
}
