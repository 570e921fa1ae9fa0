import { describe, expect, it } from 'vitest';
import {
  addMoney,
  AmsError,
  compareMoney,
  currencyExponent,
  formatMajorUnits,
  isKnownCurrency,
  isValidMinorUnits,
  MAX_MINOR_UNITS,
  money,
  parseAmount,
  parseMinorUnits,
  parsePositiveAmount,
  subtractMoney,
  sumMoney,
  toAmount,
} from '../src/index.js';

function amsErrorOf(fn: () => unknown): AmsError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AmsError);
    return error as AmsError;
  }
  throw new Error('expected an AmsError');
}

describe('minor units', () => {
  it.each(['0', '1', '100', '9223372036854775807'])('accepts %j', (value) => {
    expect(isValidMinorUnits(value)).toBe(true);
    expect(parseMinorUnits(value)).toBe(BigInt(value));
  });

  it.each(['1.5', '-1', '01', '00', '', ' 1', '1 ', '+1', '1e3', '0x10', '9223372036854775808', '99999999999999999999'])(
    'refuses %j with PARAM_ILLEGAL naming the field',
    (value) => {
      expect(isValidMinorUnits(value)).toBe(false);
      const error = amsErrorOf(() => parseMinorUnits(value, 'paymentAmount.value'));
      expect(error.code).toBe('PARAM_ILLEGAL');
      expect(error.field).toBe('paymentAmount.value');
      expect(error.message).toMatch(/^paymentAmount\.value: must be a non-negative integer of minor units/);
    },
  );

  it('accepts safe JSON integers (some SDKs send numbers) and refuses other numbers', () => {
    expect(parseMinorUnits(100)).toBe(100n);
    for (const bad of [1.5, -1, Number.MAX_SAFE_INTEGER + 1, Number.NaN]) {
      expect(amsErrorOf(() => parseMinorUnits(bad)).code).toBe('PARAM_ILLEGAL');
    }
    expect(amsErrorOf(() => parseMinorUnits(null, 'x')).message).toBe('x: must be a decimal string of minor units, got null');
    expect(amsErrorOf(() => parseMinorUnits(true, 'x')).message).toBe('x: must be a decimal string of minor units, got boolean true');
  });
});

describe('currencies', () => {
  it('knows ISO 4217 exponents, including 0-, 3- and 4-decimal currencies', () => {
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KRW')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
    expect(currencyExponent('BHD')).toBe(3);
    expect(currencyExponent('CLF')).toBe(4);
    expect(currencyExponent('IDR')).toBe(2);
    expect(isKnownCurrency('usd')).toBe(false);
    expect(isKnownCurrency('XYZ')).toBe(false);
    expect(amsErrorOf(() => currencyExponent('XYZ')).code).toBe('CURRENCY_NOT_SUPPORT');
  });
});

describe('parseAmount', () => {
  it('parses a wire amount into bigint money', () => {
    expect(parseAmount({ currency: 'USD', value: '1000' })).toEqual({ currency: 'USD', minor: 1000n });
  });

  it('names the field at fault', () => {
    expect(amsErrorOf(() => parseAmount({ currency: 'usd', value: '1' }, 'order.orderAmount')).message).toBe(
      'order.orderAmount.currency: must be an ISO 4217 currency code such as USD, got "usd"',
    );
    expect(amsErrorOf(() => parseAmount({ currency: 'USD', value: '1.5' }, 'order.orderAmount')).field).toBe('order.orderAmount.value');
    expect(amsErrorOf(() => parseAmount({ currency: 'USD' }, 'refundAmount')).message).toMatch(/^refundAmount\.value: .* got nothing$/);
    expect(amsErrorOf(() => parseAmount('100', 'refundAmount')).message).toBe(
      'refundAmount: must be an object with currency and value, got "100"',
    );
  });
});

describe('arithmetic', () => {
  const usd = (v: bigint) => money('USD', v);

  it('adds, subtracts, compares and sums exactly', () => {
    expect(addMoney(usd(1n), usd(2n))).toEqual(usd(3n));
    expect(subtractMoney(usd(5n), usd(2n))).toEqual(usd(3n));
    expect(compareMoney(usd(1n), usd(2n))).toBe(-1);
    expect(compareMoney(usd(2n), usd(2n))).toBe(0);
    expect(sumMoney('USD', [usd(1n), usd(2n), usd(3n)])).toEqual(usd(6n));
    // 0.1 + 0.2 in floats is not 0.3; in minor units it is exact.
    expect(addMoney(usd(10n), usd(20n)).minor).toBe(30n);
    expect(toAmount(usd(1234n))).toEqual({ currency: 'USD', value: '1234' });
  });

  it('never goes negative or past 64 bits, and never mixes currencies', () => {
    expect(() => subtractMoney(usd(1n), usd(2n))).toThrow(RangeError);
    expect(() => addMoney(usd(MAX_MINOR_UNITS), usd(1n))).toThrow(RangeError);
    expect(amsErrorOf(() => addMoney(usd(1n), money('EUR', 1n))).code).toBe('CURRENCY_NOT_SUPPORT');
    expect(() => money('USD', -1n)).toThrow(RangeError);
  });

  it('formats major units for people', () => {
    expect(formatMajorUnits(usd(1234n))).toBe('12.34');
    expect(formatMajorUnits(usd(5n))).toBe('0.05');
    expect(formatMajorUnits(money('JPY', 1000n))).toBe('1000');
    expect(formatMajorUnits(money('KWD', 1234n))).toBe('1.234');
  });
});

describe('parsePositiveAmount', () => {
  it('accepts a positive amount and refuses zero, naming the value field', () => {
    expect(parsePositiveAmount({ currency: 'USD', value: '1' }, 'refundAmount')).toEqual({ currency: 'USD', minor: 1n });
    const error = amsErrorOf(() => parsePositiveAmount({ currency: 'USD', value: '0' }, 'refundAmount'));
    expect(error.message).toBe('refundAmount.value: must be greater than 0');
    expect(error.field).toBe('refundAmount.value');
  });
});
