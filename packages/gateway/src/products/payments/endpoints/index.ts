/** The payments product's endpoints (the AMS `payments/*` calls), bound to its services. */
import type { EndpointModules } from '../../../endpoints/contract.js';
import type { ArrearService } from '../arrears.js';
import type { AmountUpdateService } from '../amount-update-service.js';
import type { CaptureService } from '../capture-service.js';
import type { ConsultService } from '../consult-service.js';
import type { InvoiceFileService } from '../invoice-files.js';
import type { PayTriggerHooks } from '../pay-triggers.js';
import type { PaymentService } from '../payment-service.js';
import type { PaymentSessionService } from '../payment-session-service.js';
import type { RefundService } from '../refund-service.js';
import type { VerificationService } from '../verification-service.js';
import { cancelEndpoint } from './cancel.js';
import { captureEndpoint } from './capture.js';
import { consultEndpoint } from './consult.js';
import { createPaymentSessionEndpoint, type AgreementSessions } from './create-payment-session.js';
import { inquiryPaymentEndpoint, type CustomsDeclarationOf } from './inquiry-payment.js';
import { inquiryRefundEndpoint } from './inquiry-refund.js';
import { payEndpoint, type PayProducts } from './pay.js';
import { refundEndpoint } from './refund.js';
import type { TaxCalculationCheck } from './pay.js';
import { retrievePaymentSessionEndpoint } from './retrieve-payment-session.js';
import { updateAmountEndpoint } from './update-amount.js';
import { verifyAndCompletePaymentEndpoint } from './verify-and-complete-payment.js';
import { syncArrearEndpoint } from './sync-arrear.js';
import { uploadInvoiceShippingFileEndpoint } from './upload-invoice-shipping-file.js';

export interface PaymentsEndpointServices {
  payments: PaymentService;
  refunds: RefundService;
  captures: CaptureService;
  consult: ConsultService;
  sessions: PaymentSessionService;
  /** Auto Debit sessions (createPaymentSession with AGREEMENT_PAYMENT), from the Auto Debit product. */
  agreementSessions: AgreementSessions;
  updates: AmountUpdateService;
  verifications: VerificationService;
  arrears: ArrearService;
  invoiceFiles: InvoiceFileService;
  /** `pay` by product code (cashier here; Auto Debit and in-store from their folders). */
  payProducts: PayProducts;
  triggers: PayTriggerHooks | undefined;
  /** What a payment has declared to customs (inquiryPayment's `customsDeclarationAmount`), from the customs product. */
  customsDeclarationOf?: CustomsDeclarationOf;
  /** Why a pay request's `taxCalculationId` cannot be used, from the tax product (see `TaxCalculationCheck`). */
  taxCalculationProblem?: TaxCalculationCheck;
}

export function paymentsEndpoints(services: PaymentsEndpointServices) {
  return {
    'payments/pay': payEndpoint(services.payProducts, services.triggers, services.taxCalculationProblem),
    'payments/inquiryPayment': inquiryPaymentEndpoint(services.payments, services.customsDeclarationOf),
    'payments/cancel': cancelEndpoint(services.payments),
    'payments/refund': refundEndpoint(services.refunds),
    'payments/inquiryRefund': inquiryRefundEndpoint(services.refunds),
    'payments/capture': captureEndpoint(services.captures),
    'payments/consult': consultEndpoint(services.consult),
    'payments/createPaymentSession': createPaymentSessionEndpoint(services.sessions, services.agreementSessions),
    'payments/retrievePaymentSession': retrievePaymentSessionEndpoint(services.payments),
    'payments/updateAmount': updateAmountEndpoint(services.updates),
    'payments/verifyAndCompletePayment': verifyAndCompletePaymentEndpoint(services.verifications),
    'payments/syncArrear': syncArrearEndpoint(services.arrears),
    'payments/uploadInvoiceShippingFile': uploadInvoiceShippingFileEndpoint(services.invoiceFiles),
  } satisfies Partial<EndpointModules>;
}
