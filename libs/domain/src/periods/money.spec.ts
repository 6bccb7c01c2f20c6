/** Tests for ../money (kept here: the amounts are its main user). */
import Decimal from 'decimal.js';
import { Dec, formatDecimal, formatMoney, roundMoney } from '../money';

describe('money', () => {
  it.each([
    ['1.005', '1.01'],
    ['1.004', '1'],
    ['-1.005', '-1.01'], // half away from zero
    ['-1.004', '-1'],
    ['0.125', '0.13'],
    ['2.675', '2.68'],
    ['-0.001', '0'],
    ['12345678901234567890.125', '12345678901234567890.13'],
  ])('roundMoney(%s) = %s', (x, expected) => {
    expect(roundMoney(new Dec(x)).toString()).toBe(expected);
  });

  it.each([
    ['12.50', '12.5'],
    ['0', '0'],
    ['-0', '0'],
    ['-3.000', '-3'],
    ['0.000000000001', '0.000000000001'],
    ['1e-30', '0.000000000000000000000000000001'],
    ['12345678901234567890123', '12345678901234567890123'],
  ])('formatDecimal(%s) = %s', (x, expected) => {
    expect(formatDecimal(new Dec(x))).toBe(expected);
  });

  it('formatDecimal never uses exponents, even for a plain decimal.js value', () => {
    expect(formatDecimal(new Decimal('1e-9'))).toBe('0.000000001');
    expect(formatDecimal(new Decimal('1e+25'))).toBe('10000000000000000000000000');
  });

  it.each([
    ['12.5', '12.50'],
    ['0', '0.00'],
    ['-3', '-3.00'],
    ['1.005', '1.01'],
    ['-0.004', '0.00'],
    ['1e-30', '0.00'],
    ['7.1', '7.10'],
  ])('formatMoney(%s) = %s', (x, expected) => {
    expect(formatMoney(new Dec(x))).toBe(expected);
  });

  it('Dec keeps 40 significant digits and rounds half-up', () => {
    expect(new Dec(1).div(3).toString()).toBe('0.' + '3'.repeat(40));
    expect(new Dec(2).div(3).toString()).toBe('0.' + '6'.repeat(39) + '7');
  });
});
