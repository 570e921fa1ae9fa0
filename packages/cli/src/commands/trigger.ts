/**
 * `amsgate trigger EVENT`, in the manner of `stripe trigger`: creates and
 * drives the objects an event needs, through the real API (signed with the
 * merchant credentials, as `call` does) and the sandbox control API (the
 * buyer's part), so that the event's notification reaches the notify URL:
 * `--notify-url`, else the client's default one (`notify listen --register`
 * sets it while it runs).
 */
import { AntomClient, type Answer } from '@amsgate/client';
import { CliError, EXIT } from '../io.js';
import { controlRequest, type ControlOptions } from '../control-api.js';
import { resolveCredentials } from '../merchant-credentials.js';
import { merchantTarget } from '../runtime-file.js';
import { TRIGGER_EVENTS, type TriggerEvent } from './trigger-events.js';


export interface TriggerOptions extends ControlOptions {
  credentials?: string;
  notifyUrl?: string;
  amount: string;
  currency: string;
  resultCode?: string;
  json?: boolean;
}

/** What was made, by kind (`paymentId`, `refundId`, …), for the printout and `--json`. */
type Made = Record<string, string>;

export async function trigger(eventArgument: string, options: TriggerOptions, out: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!(eventArgument in TRIGGER_EVENTS)) {
    throw new CliError(`unknown event "${eventArgument}": one of ${Object.keys(TRIGGER_EVENTS).join(', ')}`);
  }
  const event = eventArgument as TriggerEvent;
  if (!/^[1-9][0-9]{0,15}$/.test(options.amount)) throw new CliError(`--amount must be minor units, a whole number above 0 (e.g. 1000 for USD 10.00), got "${options.amount}"`);
  if (!/^[A-Z]{3}$/.test(options.currency)) throw new CliError(`--currency must be an ISO 4217 code such as USD, got "${options.currency}"`);
  if (options.resultCode !== undefined && event !== 'payment.failed') throw new CliError('--result-code goes with payment.failed');

  const credentials = resolveCredentials(options, env);
  const baseUrl = merchantTarget(options.baseUrl, credentials, options.dataDir).url;
  if (baseUrl === undefined) throw new CliError(`No base URL: ${credentials.source} has none; pass --base-url`);
  const antom = new AntomClient({ clientId: credentials.clientId, privateKey: credentials.merchantPrivateKey, antomPublicKey: credentials.antomPublicKey, keyVersion: credentials.keyVersion, baseUrl });
  // The control API is the same gateway's: send it where the merchant calls went.
  const control: ControlOptions = { ...options, baseUrl };
  const steps = new TriggerSteps(antom, control, options);
  const made = await steps.run(event);
  if (options.json) {
    out(JSON.stringify({ event, ...made }));
    return;
  }
  out(`Triggered ${event}: ${Object.entries(made).map(([name, value]) => `${name} ${value}`).join(', ')}.`);
  out(options.notifyUrl !== undefined ? `Its notifications go to ${options.notifyUrl}.` : "Its notifications go to the client's default notify URL (amsgate notify listen --register sets it; amsgate notify list shows them).");
}

class TriggerSteps {
  private readonly tag = `trigger-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(
    private readonly antom: AntomClient,
    private readonly control: ControlOptions,
    private readonly options: TriggerOptions,
  ) {}

  async run(event: TriggerEvent): Promise<Made> {
    switch (event) {
      case 'payment.succeeded':
        return this.paidPayment(false);
      case 'payment.failed': {
        const paymentId = await this.pay(false);
        await this.complete(paymentId, { outcome: 'fail', resultCode: this.options.resultCode ?? 'USER_BALANCE_NOT_ENOUGH' });
        return { paymentId };
      }
      case 'refund.succeeded': {
        const { paymentId } = await this.paidPayment(false);
        const refunded = this.accepted('payments/refund', await this.antom.refund({
          refundRequestId: `${this.tag}-refund`, paymentId, refundAmount: this.amount(),
          ...(this.options.notifyUrl !== undefined ? { refundNotifyUrl: this.options.notifyUrl } : {}),
        }));
        return { paymentId, refundId: String(refunded['refundId'] ?? '(in process)') };
      }
      case 'capture.succeeded': {
        const { paymentId } = await this.paidPayment(true);
        const captured = this.accepted('payments/capture', await this.antom.capture({ captureRequestId: `${this.tag}-capture`, paymentId, captureAmount: this.amount() }));
        return { paymentId, captureId: String(captured['captureId'] ?? '(in process)') };
      }
      case 'authorization.created':
        return this.agreedConsult();
      case 'authorization.revoked': {
        const { authCode } = await this.agreedConsult();
        const token = this.settled('authorizations/applyToken', await this.antom.authorizations.applyToken({ grantType: 'AUTHORIZATION_CODE', customerBelongsTo: 'GCASH', authCode }));
        const accessToken = String(token['accessToken']);
        this.settled('authorizations/revoke', await this.antom.authorizations.revoke({ accessToken }));
        return { authCode, accessToken };
      }
    }
  }

  private amount() {
    return { currency: this.options.currency, value: this.options.amount };
  }

  private async pay(authorization: boolean): Promise<string> {
    const answer = await this.antom.pay({
      productCode: 'CASHIER_PAYMENT',
      paymentRequestId: this.tag,
      paymentAmount: this.amount(),
      order: { referenceOrderId: this.tag, orderDescription: 'amsgate trigger', orderAmount: this.amount() },
      paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
      env: { terminalType: 'WEB' },
      paymentRedirectUrl: 'https://merchant.example/return',
      ...(authorization ? { paymentFactor: { isAuthorization: true } } : {}),
      ...(this.options.notifyUrl !== undefined ? { paymentNotifyUrl: this.options.notifyUrl } : {}),
    });
    const body = this.accepted('payments/pay', answer);
    return String(body['paymentId']);
  }

  private async paidPayment(authorization: boolean): Promise<{ paymentId: string }> {
    const paymentId = await this.pay(authorization);
    await this.complete(paymentId, { outcome: 'success' });
    return { paymentId };
  }

  private async complete(paymentId: string, outcome: Record<string, string>): Promise<void> {
    await controlRequest(this.control, 'POST', `/sandbox/payments/${encodeURIComponent(paymentId)}/complete`, outcome);
  }

  private async agreedConsult(): Promise<{ authCode: string }> {
    const consulted = this.settled('authorizations/consult', await this.antom.authorizations.consult({
      customerBelongsTo: 'GCASH', authRedirectUrl: 'https://merchant.example/auth', scopes: ['AGREEMENT_PAY'], authState: this.tag, terminalType: 'WEB',
      ...(this.options.notifyUrl !== undefined ? { authNotifyUrl: this.options.notifyUrl } : {}),
    }));
    const consultId = /\/authorize\/([^/?#]+)/.exec(String(consulted['normalUrl']))?.[1];
    if (consultId === undefined) throw new CliError(`authorizations/consult answered no sandbox authorisation URL (${String(consulted['normalUrl'])}): is this an amsgate sandbox?`, EXIT.failed);
    const agreed = await controlRequest<{ authCode?: string }>(this.control, 'POST', `/sandbox/authorizations/${consultId}/agree`, {});
    if (agreed.authCode === undefined) throw new CliError('agreeing to the authorisation issued no auth code', EXIT.failed);
    return { authCode: agreed.authCode };
  }

  /** An S answer's body; anything else stops the trigger with the call's result. */
  private settled(endpoint: string, answer: Answer<unknown, unknown>): Record<string, unknown> {
    if (answer.resultStatus !== 'S') throw failed(endpoint, answer);
    return answer.data as Record<string, unknown>;
  }

  /** An S or U (in process) answer's body. */
  private accepted(endpoint: string, answer: Answer<unknown, unknown>): Record<string, unknown> {
    if (answer.resultStatus === 'F') throw failed(endpoint, answer);
    return answer.data as Record<string, unknown>;
  }
}

function failed(endpoint: string, answer: Answer<unknown, unknown>): CliError {
  return new CliError(`${endpoint} answered ${answer.result.resultStatus} ${answer.result.resultCode}: ${answer.result.resultMessage}`, EXIT.failed);
}
