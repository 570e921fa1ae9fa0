import { describe, expect, it } from 'vitest';
import { AmsError, buildResult, isFailResultCode, isResultCode, RESULT_CODES, resultStatusOf, SUCCESS_RESULT, type FailResultCode } from '../src/index.js';

describe('result catalogue', () => {
  it('gives each code one status and a message', () => {
    for (const [code, entry] of Object.entries(RESULT_CODES)) {
      expect(['S', 'F', 'U']).toContain(entry.status);
      expect(entry.message.length).toBeGreaterThan(0);
      expect(code).toMatch(/^[A-Z_]{1,64}$/);
    }
  });

  it('knows the statuses the spec gives', () => {
    expect(resultStatusOf('SUCCESS')).toBe('S');
    expect(resultStatusOf('PAYMENT_IN_PROCESS')).toBe('U');
    expect(resultStatusOf('REFUND_IN_PROCESS')).toBe('U');
    expect(resultStatusOf('UNKNOWN_EXCEPTION')).toBe('U');
    expect(resultStatusOf('REQUEST_TRAFFIC_EXCEED_LIMIT')).toBe('U');
    expect(resultStatusOf('INVALID_SIGNATURE')).toBe('F');
    expect(resultStatusOf('REPEAT_REQ_INCONSISTENT')).toBe('F');
    expect(resultStatusOf('INVALID_PAYMENT_CODE')).toBe('F');
    expect(isResultCode('SUCCESS')).toBe(true);
    expect(isResultCode('CLIENT_INVALID')).toBe(false);
    expect(isResultCode('toString')).toBe(false);
  });

  it('tells the F codes (what a failed payment may carry) from the others', () => {
    for (const [code, entry] of Object.entries(RESULT_CODES)) expect(isFailResultCode(code), code).toBe(entry.status === 'F');
    expect(isFailResultCode('USER_BALANCE_NOT_ENOUGH')).toBe(true);
    expect(isFailResultCode('SUCCESS')).toBe(false);
    expect(isFailResultCode('PAYMENT_IN_PROCESS')).toBe(false);
    expect(isFailResultCode('user_balance_not_enough')).toBe(false);
    expect(isFailResultCode('NOT_A_CODE')).toBe(false);
    expect(isFailResultCode('toString')).toBe(false);
    const code: string = 'RISK_REJECT';
    if (isFailResultCode(code)) {
      const narrowed: FailResultCode = code;
      expect(RESULT_CODES[narrowed].status).toBe('F');
    }
  });

  it('builds wire results', () => {
    expect(buildResult('PARAM_ILLEGAL', 'x: bad')).toEqual({ resultCode: 'PARAM_ILLEGAL', resultStatus: 'F', resultMessage: 'x: bad' });
    expect(buildResult('ORDER_NOT_EXIST').resultMessage).toBe(RESULT_CODES.ORDER_NOT_EXIST.message);
    expect(buildResult('SYSTEM_ERROR', 'y'.repeat(300)).resultMessage).toHaveLength(256);
    expect(SUCCESS_RESULT).toEqual({ resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' });
  });
});

describe('AmsError', () => {
  it('carries the code, its status and the field', () => {
    const error = AmsError.paramIllegal('order.orderAmount.value', 'must be digits');
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('PARAM_ILLEGAL');
    expect(error.status).toBe('F');
    expect(error.field).toBe('order.orderAmount.value');
    expect(error.toResult()).toEqual({
      resultCode: 'PARAM_ILLEGAL',
      resultStatus: 'F',
      resultMessage: 'order.orderAmount.value: must be digits',
    });
    const unknown = new AmsError('UNKNOWN_EXCEPTION', undefined, { cause: new Error('db down') });
    expect(unknown.status).toBe('U');
    expect(unknown.message).toBe(RESULT_CODES.UNKNOWN_EXCEPTION.message);
    expect(unknown.cause).toBeInstanceOf(Error);
  });
});
