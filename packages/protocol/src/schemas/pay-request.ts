/**
 * The `payments/pay` request: one schema per `productCode`, chosen by that
 * field (matched in any letter case). As a schema it is a discriminated
 * `anyOf`, so `validate(PayRequestSchema, body)` picks the variant itself and
 * the static type narrows on `productCode`.
 */
import type Type from 'typebox';
import type { TObject } from 'typebox';
import { Discriminated } from './builder.js';
import { PayInStoreRequestSchema } from './in-store.js';
import { PayAgreementRequestSchema, PayCashierRequestSchema, PRODUCT_CODES, type ProductCode } from './pay.js';
import { BODY_FIELD, describe, failure, type ValidationFailure } from './validate.js';

export const PayRequestSchema = Discriminated('productCode', [PayCashierRequestSchema, PayAgreementRequestSchema, PayInStoreRequestSchema]);
export type PayRequest = Type.Static<typeof PayRequestSchema>;

/** productCode → its request schema. */
export const PAY_REQUEST_SCHEMAS = {
  CASHIER_PAYMENT: PayCashierRequestSchema,
  AGREEMENT_PAYMENT: PayAgreementRequestSchema,
  IN_STORE_PAYMENT: PayInStoreRequestSchema,
} as const satisfies { readonly [Code in ProductCode]: TObject };

const BY_LOWER_CASE = new Map<string, ProductCode>(PRODUCT_CODES.map((code) => [code.toLowerCase(), code]));

/** The canonical product code for any spelling of it, or `undefined`. */
export function productCodeOf(value: string): ProductCode | undefined {
  return BY_LOWER_CASE.get(value.toLowerCase());
}

export type PaySchemaSelection =
  | { readonly ok: true; readonly productCode: ProductCode; readonly schema: TObject }
  | ValidationFailure;

/**
 * Picks the request schema for a pay body by its `productCode`, with a clear
 * `PARAM_ILLEGAL`-ready failure when the body is not an object or the code is
 * missing or unknown. `validate(PayRequestSchema, body)` does the same as part
 * of validation; this is for callers that need the product before validating.
 */
export function selectPayRequestSchema(body: unknown): PaySchemaSelection {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return failure(BODY_FIELD, `must be a JSON object, got ${describe(body)}`);
  }
  const raw = Object.prototype.hasOwnProperty.call(body, 'productCode') ? (body as Record<string, unknown>)['productCode'] : undefined;
  const expected = PRODUCT_CODES.join(', ');
  if (raw === undefined || raw === null) return failure('productCode', `is required (one of ${expected} (any letter case))`);
  const productCode = typeof raw === 'string' ? productCodeOf(raw) : undefined;
  if (productCode === undefined) return failure('productCode', `must be one of ${expected} (any letter case), got ${describe(raw)}`);
  return { ok: true, productCode, schema: PAY_REQUEST_SCHEMAS[productCode] };
}
