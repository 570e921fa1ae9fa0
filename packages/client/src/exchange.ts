/** What travelled for one attempt: the signed request and, when one came, the response as received. */

/** A request signed and ready to send (or sent). */
export interface SignedRequest {
  readonly url: string;
  /** The path signed and requested, e.g. `/ams/sandbox/api/v1/payments/pay`. */
  readonly uri: string;
  readonly clientId: string;
  /** The `request-time` header, as signed. */
  readonly requestTime: string;
  /** Every header sent, `signature` included (lower-case names); in answers and errors `agent-token` reads `[redacted]`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The exact body text sent (its UTF-8 bytes were signed). */
  readonly body: string;
}

export interface ReceivedResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The body as received, decoded as UTF-8. */
  readonly body: string;
}

export interface Exchange {
  readonly request: SignedRequest;
  readonly response: ReceivedResponse;
}
