import Decimal from 'decimal.js';

/**
 * The decimal type for money and quantities. 40 significant digits, half-up rounding, and
 * exponent thresholds pushed out of reach so `toString()` never uses exponent notation.
 */
export const Dec = Decimal.clone({
  precision: 40,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});
export type Dec = Decimal;

/**
 * Rounds to cents, half-up. decimal.js's ROUND_HALF_UP rounds a tie away from zero, so
 * 1.005 → 1.01 and -1.005 → -1.01 (the negative is the mirror image of the positive).
 */
export function roundMoney(x: Decimal): Decimal {
  return new Dec(x).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** Plain notation, no exponent, trailing zeros trimmed: "12.5", "0", "-3". */
export function formatDecimal(x: Decimal): string {
  // Re-wrapping in Dec applies its exponent settings whatever constructor made `x`;
  // decimal.js never keeps trailing zeros and prints -0 as "0".
  return new Dec(x).toString();
}

/** Rounded to cents (half-up) and always printed with two decimals: "12.50", "-3.00". */
export function formatMoney(x: Decimal): string {
  const [whole, cents = ''] = formatDecimal(roundMoney(x)).split('.');
  return `${whole}.${cents.padEnd(2, '0')}`;
}
