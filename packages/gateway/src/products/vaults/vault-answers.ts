/** The wire shapes of vaulting: answers, the vaulted card, the notifyVaulting body. One place each. */
import { buildResult, SUCCESS_RESULT, type Result } from '@amsgate/protocol';
import { wireTime } from '../payments/answers.js';
import { cardFactsOf, maskedNumber } from '../cards/test-cards.js';
import { testCardOf, type StoredCard, type VaultingRecord } from './vault-records.js';

export type VaultAnswer = { result: Result } & Record<string, unknown>;

/** `paymentMethodDetail` of a stored card (SDK model VaultingPaymentMethodDetail): the token and what identifies the card. */
export function vaultedPaymentMethodDetail(cardToken: string, card: StoredCard): Record<string, unknown> {
  const testCard = testCardOf(card);
  const facts = testCard ? cardFactsOf(testCard) : undefined;
  return {
    paymentMethodType: 'CARD',
    paymentMethodDetailType: 'CARD',
    card: {
      cardToken,
      ...(facts ? { brand: facts.cardBrand, funding: facts.funding, issuerName: facts.issuerName, issuingCountry: facts.issuingCountry } : {}),
      maskedCardNo: testCard ? maskedNumber(testCard) : `${card.bin}******${card.lastFour}`,
      bin: card.bin,
      lastFour: card.lastFour,
      expiryMonth: card.expiryMonth,
      expiryYear: card.expiryYear,
      ...(card.holder ? { cardholderName: card.holder } : {}),
    },
  };
}

/** The vaulting's own result: S once the card is stored, F with its code, and for a pending one the code the endpoint answers. */
export function vaultingResult(vaulting: VaultingRecord, pendingCode: 'VERIFICATION_IN_PROCESS'): Result {
  switch (vaulting.status) {
    case 'SUCCESS':
      return { ...SUCCESS_RESULT };
    case 'FAIL':
      return { resultCode: vaulting.resultCode, resultStatus: 'F', resultMessage: vaulting.resultMessage };
    case 'PROCESSING':
      return buildResult(pendingCode);
  }
}

function storedDetail(vaulting: VaultingRecord): Record<string, unknown> | undefined {
  return vaulting.status === 'SUCCESS' && vaulting.cardToken !== null && vaulting.card !== null ? vaultedPaymentMethodDetail(vaulting.cardToken, vaulting.card) : undefined;
}

/** `vaultPaymentMethod` for a vaulting as it is now (also for repeats). */
export function vaultPaymentMethodAnswer(vaulting: VaultingRecord, pageUrl: string): VaultAnswer {
  const detail = storedDetail(vaulting);
  return {
    result: vaultingResult(vaulting, 'VERIFICATION_IN_PROCESS'),
    vaultingRequestId: vaulting.vaultingRequestId,
    ...(detail ? { paymentMethodDetail: detail } : {}),
    ...(vaulting.status === 'PROCESSING' ? { normalUrl: pageUrl } : {}),
  };
}

/** `inquireVaulting`: `result` says the inquiry worked; `vaultingStatus` and `vaultingResult*` say how the vaulting is. */
export function inquireVaultingAnswer(vaulting: VaultingRecord, pageUrl: string): VaultAnswer {
  const detail = storedDetail(vaulting);
  return {
    result: { ...SUCCESS_RESULT },
    vaultingRequestId: vaulting.vaultingRequestId,
    vaultingStatus: vaulting.status,
    vaultingResultCode: vaulting.resultCode,
    vaultingResultMessage: vaulting.resultMessage,
    ...(detail ? { paymentMethodDetail: detail } : {}),
    ...(vaulting.status === 'PROCESSING' ? { normalUrl: pageUrl } : {}),
    ...(vaulting.metadata !== null ? { metadata: vaulting.metadata } : {}),
  };
}

/** notifyVaulting when a vaulting is final. The docs name no notifyType value: `VAULTING_RESULT` is amsgate's. */
export function vaultingResultBody(vaulting: VaultingRecord): Record<string, unknown> {
  const detail = storedDetail(vaulting);
  return {
    notifyType: 'VAULTING_RESULT',
    result: vaulting.status === 'SUCCESS' ? { ...SUCCESS_RESULT } : { resultCode: vaulting.resultCode, resultStatus: 'F', resultMessage: vaulting.resultMessage },
    vaultingRequestId: vaulting.vaultingRequestId,
    vaultingStatus: vaulting.status,
    ...(detail ? { paymentMethodDetail: detail } : {}),
    vaultingCreateTime: wireTime(vaulting.createdAt),
    ...(vaulting.metadata !== null ? { metadata: vaulting.metadata } : {}),
  };
}
