/**
 * The `result` object every AMS response and notification carries, and the
 * one catalogue of result codes: each code's S/F/U status and our default
 * message live here and nowhere else.
 */

export type ResultStatus = 'S' | 'F' | 'U';

/** The wire shape. `resultCode` is a plain string: Antom may send codes we do not know yet. */
export interface Result {
  resultCode: string;
  resultStatus: ResultStatus;
  resultMessage: string;
}

interface CatalogueEntry {
  readonly status: ResultStatus;
  readonly message: string;
}

/**
 * Result codes from `shared/spec/errors-and-idempotency.md` and
 * `shared/spec/in-store.md`. Messages are ours; clients must never branch on
 * them (Antom's own wording varies between APIs).
 */
export const RESULT_CODES = {
  // Success and in-process answers
  SUCCESS: { status: 'S', message: 'Success' },
  PAYMENT_IN_PROCESS: { status: 'U', message: 'The payment is being processed' },
  REFUND_IN_PROCESS: { status: 'U', message: 'The refund is being processed' },
  CAPTURE_IN_PROCESS: { status: 'U', message: 'The capture is being processed' },
  UNKNOWN_EXCEPTION: { status: 'U', message: 'The call failed for an unknown reason; retry the same request or inquire' },
  REQUEST_TRAFFIC_EXCEED_LIMIT: { status: 'U', message: 'Request rate over the limit; back off and retry' },

  // Protocol, access and client codes
  ACCESS_DENIED: { status: 'F', message: 'Access denied' },
  INVALID_API: { status: 'F', message: 'The API is invalid or not active for this client' },
  NO_INTERFACE_DEF: { status: 'F', message: 'No API is defined at this path' },
  METHOD_NOT_SUPPORTED: { status: 'F', message: 'HTTP method not supported; use POST' },
  MEDIA_TYPE_NOT_ACCEPTABLE: { status: 'F', message: 'Media type not acceptable; send application/json; charset=UTF-8' },
  INVALID_SIGNATURE: { status: 'F', message: 'The signature could not be verified' },
  KEY_NOT_FOUND: { status: 'F', message: 'No key is registered for this client and key version' },
  INVALID_CLIENT: { status: 'F', message: 'The client is invalid' },
  INVALID_CLIENT_STATUS: { status: 'F', message: 'The client status does not allow this call' },
  UNKNOWN_CLIENT: { status: 'F', message: 'The client is unknown' },
  // Alipay-family code for ISV agent tokens; AMS pages name none for a bad token.
  INVALID_AGENT_TOKEN: { status: 'F', message: 'The agent-token is not valid for this client' },
  CLIENT_FORBIDDEN_ACCESS_API: { status: 'F', message: 'The client may not use this API' },
  PARAM_ILLEGAL: { status: 'F', message: 'A parameter is missing or illegal' },
  REPEAT_REQ_INCONSISTENT: { status: 'F', message: 'A request with this idempotency key exists with different values' },
  PROCESS_FAIL: { status: 'F', message: 'The business process failed' },
  SYSTEM_ERROR: { status: 'F', message: 'System error' },
  RISK_REJECT: { status: 'F', message: 'Rejected by risk control' },
  FRAUD_REJECT: { status: 'F', message: 'Rejected as suspected fraud' },
  CURRENCY_NOT_SUPPORT: { status: 'F', message: 'The currency is not supported' },
  INVALID_CONTRACT: { status: 'F', message: 'The contract does not match the transaction' },
  INVALID_MERCHANT_STATUS: { status: 'F', message: 'The merchant status is abnormal' },
  MERCHANT_NOT_REGISTERED: { status: 'F', message: 'The merchant is not registered' },
  MERCHANT_KYB_NOT_QUALIFIED: { status: 'F', message: 'The merchant did not pass KYB' },
  PAYMENT_NOT_QUALIFIED: { status: 'F', message: 'The merchant is not qualified for this payment' },
  NO_PAY_OPTIONS: { status: 'F', message: 'The payment method is not available' },
  SETTLE_CONTRACT_NOT_MATCH: { status: 'F', message: 'No settlement contract for the requested settlement currency' },
  // Merchant registration (registration, inquiryRegistrationStatus, inquiryRegistrationInfo pages).
  REPEAT_REGISTRATION: { status: 'F', message: 'The merchant is already registered or its registration is under review' },
  RECORD_NOT_FOUND: { status: 'F', message: 'No record was found for the given identifiers' },

  // Orders
  ORDER_NOT_EXIST: { status: 'F', message: 'The order does not exist' },
  // Vaulting (vault_method, inquire_vaulting pages).
  VERIFICATION_IN_PROCESS: { status: 'U', message: 'The card is being verified (3-D Secure); send the buyer to the URL answered' },
  VERIFICATION_FAIL: { status: 'F', message: 'The card could not be verified' },
  VAULTING_NOT_EXIST: { status: 'F', message: 'No vaulting with this vaultingRequestId' },
  // The card-on-file page: an expired stored card, or an expiry date in the past.
  INVALID_EXPIRATION_DATE: { status: 'F', message: 'The card has expired or its expiry date is invalid' },
  // The docs name no code for an unknown or deleted card token: amsgate's choice.
  TOKEN_NOT_EXIST: { status: 'F', message: 'The card token does not exist or was deleted' },
  ORDER_STATUS_INVALID: { status: 'F', message: 'The order status does not allow this operation' },
  ORDER_IS_CLOSED: { status: 'F', message: 'The order is closed; use a new request id' },
  ORDER_IS_CANCELED: { status: 'F', message: 'The order is cancelled; use a new request id' },

  // Payment outcomes
  USER_BALANCE_NOT_ENOUGH: { status: 'F', message: 'The user balance is not enough' },
  USER_AMOUNT_EXCEED_LIMIT: { status: 'F', message: 'The amount exceeds the user limit' },
  PAYMENT_AMOUNT_EXCEED_LIMIT: { status: 'F', message: 'The amount exceeds the payment method limit' },
  PAYMENT_COUNT_EXCEED_LIMIT: { status: 'F', message: 'Too many payments' },
  USER_NOT_EXIST: { status: 'F', message: 'The user does not exist at the payment method' },
  USER_STATUS_ABNORMAL: { status: 'F', message: 'The user account status is abnormal' },
  USER_KYC_NOT_QUALIFIED: { status: 'F', message: 'The user has not completed KYC' },
  USER_PAYMENT_VERIFICATION_FAILED: { status: 'F', message: 'The user verification failed' },
  INVALID_PAYMENT_METHOD_META_DATA: { status: 'F', message: 'paymentMethodMetaData is invalid' },
  INCORRECT_BLIKCODE: { status: 'F', message: 'The BLIK code is incorrect' },
  AUTHENTICATION_REQUIRED: { status: 'F', message: 'Authentication is required' },
  SELECTED_CARD_BRAND_NOT_AVAILABLE: { status: 'F', message: 'The selected card brand is not available' },
  // The generic card decline in Antom's pay / notifyPayment result-code tables (F: the issuing bank
  // declined; try another card). The sandbox answers it for the published failure test cards.
  DO_NOT_HONOR: { status: 'F', message: 'The issuing bank declined the card' },
  VERIFY_TIMES_EXCEED_LIMIT: { status: 'F', message: 'Too many verification attempts' },
  VERIFY_UNMATCHED: { status: 'F', message: 'The verification did not match' },
  PAYMENT_PROHIBITED: { status: 'F', message: 'The payment is prohibited' },
  INVALID_ACCESS_TOKEN: { status: 'F', message: 'The access token is invalid, expired or revoked' },

  // In-store
  INVALID_PAYMENT_CODE: { status: 'F', message: 'The payment code is not valid; ask the customer to refresh it' },
  EXPIRED_CODE: { status: 'F', message: 'The code has expired; ask the customer to refresh it' },

  // Refund, capture, cancel, authorisation
  REFUND_AMOUNT_EXCEED: { status: 'F', message: 'The total refund amount exceeds the paid amount' },
  REFUND_WINDOW_EXCEED: { status: 'F', message: 'The refund window has passed' },
  MULTIPLE_REFUNDS_NOT_SUPPORTED: { status: 'F', message: 'This payment method allows one refund only' },
  CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT: { status: 'F', message: 'The total capture amount exceeds the authorised amount' },
  MULTI_CAPTURE_NOT_SUPPORTED: { status: 'F', message: 'This payment method allows one capture only' },
  AUTH_CANCELLED: { status: 'F', message: 'The authorisation is cancelled' },
  AUTH_EXPIRED: { status: 'F', message: 'The authorisation has expired' },
  AUTH_NOT_FOUND: { status: 'F', message: 'The authorisation does not exist' },
  CANCEL_WINDOW_EXCEED: { status: 'F', message: 'The cancel window has passed' },
  // updateAmount (docs: "updateAmount"): after a capture, or past the 10 adjustments an authorisation allows.
  INCREMENTAL_NOT_SUPPORT: { status: 'F', message: 'The authorised amount of this payment cannot be increased' },
  OAUTH_FAILED: { status: 'F', message: 'The authorisation flow failed' },

  // Disputes (acceptDispute, supplyDefenseDocument pages; the not-found code from the supplyEvidence page).
  DISPUTE_NOT_FOUND_OR_NO_ACCESS: { status: 'F', message: 'The dispute does not exist or belongs to another merchant' },
  REPEAT_REQUEST: { status: 'F', message: 'The dispute was already handled; inquire its status' },
  TIME_EXCEEDS_LIMIT: { status: 'F', message: 'The defense is overdue: the dispute can no longer be accepted or defended' },
  // Antom's supplyDefenseDocument answers it for compliance requests only; amsgate's sandbox controls (judge, cancel) use it.
  // Also the resource products' answer to a call their resource's status does not allow (invoice, credit note, card, …): Antom names no code for these.
  NOT_ALLOW_IN_CURRENT_STATUS: { status: 'F', message: 'The current status does not allow this' },

  // Subscriptions (inquireSubscription page: "the subscription does not exist").
  SUBSCRIPTION_NOT_EXIST: { status: 'F', message: 'The subscription does not exist' },

  // Customs (declare page): the payment's declarations together over what was paid; a declarationRequestId reused with other fields (not a retransmission).
  TOTAL_DECLARATION_AMOUNT_EXCEED: { status: 'F', message: 'The total declared amount exceeds the payment amount' },
  CONTEXT_INCONSISTENT: { status: 'F', message: 'The request is inconsistent with the earlier request of the same id' },
  // Marketplace: a payout or transfer larger than what the paying balance account holds.
  BALANCE_NOT_ENOUGH: { status: 'F', message: 'The balance of the paying account is not enough' },

  // Resource products. The SDKs' comments name these three (customer/create, promotionCode/create, price/create).
  CUSTOMER_EMAIL_DUPLICATED: { status: 'F', message: 'A customer with this email exists' },
  PROMOTION_CODE_DUPLICATED: { status: 'F', message: 'The promotion code is taken' },
  METER_NOT_FOUND: { status: 'F', message: 'No such meter' },
  // Our choice: no public page names the refusal of an exchange on an expired quote.
  QUOTE_EXPIRED: { status: 'F', message: 'The quote has expired; ask for a new one' },
} as const satisfies Record<string, CatalogueEntry>;

export type ResultCode = keyof typeof RESULT_CODES;

export function isResultCode(code: string): code is ResultCode {
  return Object.prototype.hasOwnProperty.call(RESULT_CODES, code);
}

/** The catalogued codes with status F: what a failed payment may carry. */
export type FailResultCode = { [C in ResultCode]: (typeof RESULT_CODES)[C]['status'] extends 'F' ? C : never }[ResultCode];

export function isFailResultCode(code: string): code is FailResultCode {
  return isResultCode(code) && RESULT_CODES[code].status === 'F';
}

export function resultStatusOf(code: ResultCode): ResultStatus {
  return RESULT_CODES[code].status;
}

const MAX_RESULT_MESSAGE = 256;

/** Builds a wire `result` for a catalogued code; the message defaults to the catalogue's. */
export function buildResult(code: ResultCode, message?: string): Result {
  const entry = RESULT_CODES[code];
  const text = message ?? entry.message;
  return {
    resultCode: code,
    resultStatus: entry.status,
    resultMessage: text.length > MAX_RESULT_MESSAGE ? `${text.slice(0, MAX_RESULT_MESSAGE - 1)}…` : text,
  };
}

export const SUCCESS_RESULT: Readonly<Result> = Object.freeze(buildResult('SUCCESS', 'success'));

/**
 * The one error type for protocol outcomes: carries a catalogued code, so the
 * code decides the status and nobody matches on message text.
 */
export class AmsError extends Error {
  readonly code: ResultCode;
  readonly status: ResultStatus;
  /** Dotted path of the request field at fault, when one is. */
  readonly field: string | undefined;

  constructor(code: ResultCode, message?: string, options?: { field?: string; cause?: unknown }) {
    super(message ?? RESULT_CODES[code].message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AmsError';
    this.code = code;
    this.status = RESULT_CODES[code].status;
    this.field = options?.field;
  }

  toResult(): Result {
    return buildResult(this.code, this.message);
  }

  /** `PARAM_ILLEGAL` whose message names the field, e.g. `paymentAmount.value: must be ...`. */
  static paramIllegal(field: string, problem: string): AmsError {
    return new AmsError('PARAM_ILLEGAL', `${field}: ${problem}`, { field });
  }
}

export function isAmsError(value: unknown): value is AmsError {
  return value instanceof AmsError;
}
