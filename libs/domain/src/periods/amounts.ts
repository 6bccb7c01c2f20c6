import type Decimal from 'decimal.js';
import { z } from 'zod';
import {
  BILLING_MODES,
  type ProrationPolicy,
  type ScheduleInterval,
  type ScheduleTerms,
} from '../billing-schedule/billing-schedule.types';
import { computedDecimal, instant } from '../schemas/primitives';
import {
  parseCadence,
  parseInstant,
  MS_PER_CALENDAR_DAY,
  type Cadence,
  type RecurringCadence,
} from '../calendar/calendar';
import {
  addCadenceStepsAt,
  addCalendarDaysAt,
  cadenceStepIndexAt,
  formatInstant,
  wallMillisBetween,
  zoneClock,
  type ZoneClock,
} from '../calendar/zone-clock';
import { ValidationFailed } from '../domain-error';
import { Dec, formatDecimal, formatMoney, roundMoney } from '../money';
import { instantIn } from './instant-memo';
import { periodSequence, type GridCell, type PeriodSpan } from './period-engine';

export const InvoiceLineSchema = z.strictObject({
  lineKey: z.string(),
  intervalId: z.string(),
  orderLineItemId: z.string().nullable(),
  description: z.string().nullable(),
  billingMode: z.enum(BILLING_MODES),
  startDate: instant(),
  endDate: instant(),
  quantity: computedDecimal('2'),
  unitPrice: computedDecimal('10.00'),
  units: computedDecimal('1').meta({
    description:
      'cadence units charged: "3" for a P3M period on a P1M cadence, "0.5" for a half-month stub',
  }),
  subtotal: computedDecimal('20.00').meta({
    description: 'round2(quantity × unitPrice × units), half-up, two decimals',
  }),
});
export type InvoiceLine = z.infer<typeof InvoiceLineSchema>;

export interface BillingPeriod {
  object: 'billing_period';
  index: number;
  startDate: string;
  endDate: string;
  isStub: boolean;
  prorationFactor: string;
  issueDate: string;
  dueDate: string;
  amount: string;
  lines: InvoiceLine[];
}

/**
 * Unit counts and proration factors are kept as fractions so that the one inexact division
 * happens last, on the line's total: 10 of 30 days at 0.045 is 0.015 exactly (→ 0.02),
 * whereas 0.045 × 0.3333… would round down to 0.01. For the same reason calendar lengths
 * enter fractions as exact wall-clock milliseconds (`length`), not as recurring decimal days.
 * They are counts, not money: exact integers (BigInt, as a product of two lengths can pass
 * 2^53), and decimal.js is asked only for the division that prints them and for the line's
 * money, with the very operands it always had.
 */
interface Fraction {
  num: bigint;
  den: bigint;
}

const ONE: Fraction = { num: 1n, den: 1n };

/** Unit counts and proration factors are printed with at most 12 decimals, like every API decimal (SPEC §2). */
const FRACTION_DECIMALS = 12;

/** Instants are epoch ms; calendar lengths are asked of the schedule's zone clock. */
interface Segment {
  start: number;
  end: number;
  quantity: Decimal;
}

/** An interval with its instants parsed in the schedule's zone and its decimals parsed. */
interface PricedInterval {
  source: ScheduleInterval;
  cadence: Cadence;
  start: number;
  end: number;
  billDate: number;
  unitPrice: Decimal;
  unitPriceText: string;
  baseQuantity: Decimal;
  /** Ascending by effective date. */
  transitions: { effective: number; quantity: Decimal }[];
  /** Per quantity (baseQuantity or a transition's, by identity): what its lines share. */
  quantities: Map<Decimal, PricedQuantity>;
}

/** A quantity of an interval: printed once, times the unit price once, subtotals by units. */
interface PricedQuantity {
  text: string;
  timesUnitPrice: Decimal;
  /** Rounded subtotal by `num/den` of the units: most periods repeat a handful of them. */
  subtotals: Map<string, { rounded: Decimal; text: string }>;
}

/** A line and its rounded subtotal, so the period's amount adds decimals, not strings. */
interface PricedLine {
  line: InvoiceLine;
  subtotal: Decimal;
}

/** One billing period per computed period, with its invoice lines and amounts (SPEC §3.2). */
export function billingPeriods(
  terms: ScheduleTerms,
  intervals: ScheduleInterval[],
): BillingPeriod[] {
  const calculator = billingPeriodCalculator(terms, intervals);
  return calculator.periods(0, calculator.count);
}

/**
 * billingPeriods by index range: a page, or a slice of periods to close, costs the periods
 * and lines asked for. Intervals are priced (parsed) only when a requested period touches them.
 */
export interface BillingPeriodCalculator {
  readonly count: number;
  /** Billing periods with index in [from, to), clamped to [0, count). */
  periods(from: number, to: number): BillingPeriod[];
}

export function billingPeriodCalculator(
  terms: ScheduleTerms,
  intervals: ScheduleInterval[],
): BillingPeriodCalculator {
  const sequence = periodSequence(terms);
  const clock = zoneClock(terms.timezone);
  const fractions = new FractionFormat();
  const reach = intervals.map((interval) => intervalReach(interval, terms.timezone));
  const priced = new Map<ScheduleInterval, PricedInterval>();
  const pricedOnce = (interval: ScheduleInterval) => {
    let found = priced.get(interval);
    if (!found) priced.set(interval, (found = priceInterval(interval, terms.timezone)));
    return found;
  };
  return {
    count: sequence.count,
    periods: (from, to) =>
      sequence.spans(from, to).map((period) => {
        const { start, end } = period;
        const lines = intervals
          .filter((_, i) => reach[i].from < end && start < reach[i].to)
          .flatMap((interval) =>
            intervalLines(clock, pricedOnce(interval), period, terms.prorationPolicy, fractions),
          );
        return billingPeriod(terms, clock, period, lines, fractions);
      }),
  };
}

/**
 * The epoch-ms span outside of which an interval has no line: [start, end) for a recurring
 * one; the billing instant for a one-off. Cheap (no calendar arithmetic) and never narrower
 * than intervalLines' own test, so filtering by it changes no result.
 */
function intervalReach(interval: ScheduleInterval, zone: string): { from: number; to: number } {
  if (parseCadence(interval.billingCadence)?.kind === 'one_off') {
    const billed = epochMillis(interval.billDate ?? interval.startDate, zone);
    return { from: billed, to: billed + 1 };
  }
  return { from: epochMillis(interval.startDate, zone), to: epochMillis(interval.endDate, zone) };
}

const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/** Epoch ms of an instant; Date.parse when it carries an offset, else local time in `zone`. */
function epochMillis(iso: string, zone: string): number {
  const parsed = HAS_OFFSET.test(iso) ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(parsed) ? parseInstant(iso, zone).toMillis() : parsed;
}

function billingPeriod(
  terms: ScheduleTerms,
  clock: ZoneClock,
  period: PeriodSpan,
  priced: PricedLine[],
  fractions: FractionFormat,
): BillingPeriod {
  const lines = priced.map(({ line }) => line);
  const issue = lines.every((line) => line.billingMode === 'advance') ? period.start : period.end;
  const due =
    terms.paymentTermDays === null ? issue : addCalendarDaysAt(clock, issue, terms.paymentTermDays);
  const amount = priced.reduce((sum, { subtotal }) => sum.plus(subtotal), new Dec(0));
  return {
    object: 'billing_period',
    index: period.index,
    startDate: formatInstant(period.start),
    endDate: formatInstant(period.end),
    isStub: period.isStub,
    prorationFactor: fractions.format(prorationFactor(clock, period, terms.prorationPolicy)),
    issueDate: formatInstant(issue),
    dueDate: formatInstant(due),
    amount: formatMoney(amount),
    lines,
  };
}

function prorationFactor(clock: ZoneClock, period: PeriodSpan, policy: ProrationPolicy): Fraction {
  if (period.cell === null || policy === 'none') return ONE;
  return {
    num: length(clock, period.start, period.end),
    den: length(clock, period.cell.start, period.cell.end),
  };
}

function priceInterval(interval: ScheduleInterval, zone: string): PricedInterval {
  const cadence = parseCadence(interval.billingCadence);
  if (cadence === null) {
    throw new ValidationFailed([
      { field: 'billingCadence', message: `interval ${interval.id} has an invalid billingCadence` },
    ]);
  }
  const unitPrice = new Dec(interval.unitPrice ?? 0);
  return {
    source: interval,
    cadence,
    start: +instantIn(interval.startDate, zone),
    end: +instantIn(interval.endDate, zone),
    billDate: +instantIn(interval.billDate ?? interval.startDate, zone),
    unitPrice,
    unitPriceText: formatDecimal(unitPrice),
    baseQuantity: new Dec(interval.baseQuantity),
    transitions: interval.quantityTransitions
      .map((t) => ({
        effective: +instantIn(t.effectiveDate, zone),
        quantity: new Dec(t.quantity),
      }))
      .sort((a, b) => a.effective - b.effective),
    quantities: new Map(),
  };
}

function intervalLines(
  clock: ZoneClock,
  interval: PricedInterval,
  period: PeriodSpan,
  policy: ProrationPolicy,
  fractions: FractionFormat,
): PricedLine[] {
  const { cadence } = interval;
  if (cadence.kind === 'one_off') {
    // Charged once, at baseQuantity, in the period containing billDate (a billDate outside
    // the schedule bills nothing); the line spans the interval.
    const billed = period.start <= interval.billDate && interval.billDate < period.end;
    if (!billed) return [];
    return [
      line(
        interval,
        { start: interval.start, end: interval.end, quantity: interval.baseQuantity },
        ONE,
        fractions,
      ),
    ];
  }

  const activeStart = interval.start > period.start ? interval.start : period.start;
  const activeEnd = interval.end < period.end ? interval.end : period.end;
  if (activeStart >= activeEnd) return [];

  if (policy === 'none') {
    // The whole period is charged, once, even when the interval is active for only part of
    // it, at the quantity in effect when it becomes active in the period (project decision:
    // SPEC §3.2 says "the quantity in effect at the period's start", and before the interval
    // starts it has none).
    const quantity = quantityAt(interval, activeStart);
    const units = period.cell
      ? cellUnits(clock, period.cell, cadence)
      : stepsBetween(clock, period.start, period.end, cadence, 'whole');
    return [line(interval, { start: activeStart, end: activeEnd, quantity }, units, fractions)];
  }

  return quantitySegments(interval, activeStart, activeEnd).map((segment) => {
    const units = period.cell
      ? prorate(clock, cellUnits(clock, period.cell, cadence), segment, period.cell)
      : stepsBetween(clock, segment.start, segment.end, cadence, 'fraction');
    return line(interval, segment, units, fractions);
  });
}

/** A full grid cell in cadence units: months ÷ cadence months, or days ÷ cadence days. */
function cellUnits(clock: ZoneClock, cell: GridCell, cadence: RecurringCadence): Fraction {
  return cadence.kind === 'months'
    ? { num: BigInt(cell.months), den: BigInt(cadence.months) }
    : {
        num: length(clock, cell.start, cell.end),
        den: BigInt(cadence.days * MS_PER_CALENDAR_DAY),
      };
}

/** Daily proration: the cell's units × days(part) ÷ days(cell). */
function prorate(clock: ZoneClock, units: Fraction, part: Segment, cell: GridCell): Fraction {
  return {
    num: units.num * length(clock, part.start, part.end),
    den: units.den * length(clock, cell.start, cell.end),
  };
}

/**
 * Length of [start, end) in cadence units for periods without a grid (single/custom): the
 * whole cadence steps that fit from start, plus the remainder as a fraction (by calendar
 * days) of the next step — or, with `remainder: 'whole'`, the remainder as one more step.
 */
function stepsBetween(
  clock: ZoneClock,
  start: number,
  end: number,
  cadence: RecurringCadence,
  remainder: 'fraction' | 'whole',
): Fraction {
  const whole = cadenceStepIndexAt(clock, start, cadence, end);
  const lastStep = addCadenceStepsAt(clock, start, cadence, whole);
  const rest = length(clock, lastStep, end);
  if (rest === 0n) return { num: BigInt(whole), den: 1n };
  if (remainder === 'whole') return { num: BigInt(whole + 1), den: 1n };
  const nextStep = length(clock, lastStep, addCadenceStepsAt(clock, start, cadence, whole + 1));
  return { num: nextStep * BigInt(whole) + rest, den: nextStep };
}

/**
 * [from, to) cut where the quantity changes. A transition that keeps the quantity (decimal
 * equality) cuts nothing, so it changes no line and no amount.
 */
function quantitySegments(interval: PricedInterval, from: number, to: number): Segment[] {
  const cuts = interval.transitions
    .map((t) => t.effective)
    .filter((effective) => from < effective && effective < to);
  const segments: Segment[] = [];
  [from, ...cuts].forEach((start, i, starts) => {
    const end = starts[i + 1] ?? to;
    const quantity = quantityAt(interval, start);
    const previous = segments.at(-1);
    if (previous && previous.quantity.eq(quantity)) previous.end = end;
    else segments.push({ start, end, quantity });
  });
  return segments;
}

/** baseQuantity from the interval's start, then each transition's quantity from its effective date. */
function quantityAt(interval: PricedInterval, t: number): Decimal {
  let quantity = interval.baseQuantity;
  for (const transition of interval.transitions) {
    if (transition.effective > t) break;
    quantity = transition.quantity;
  }
  return quantity;
}

function line(
  interval: PricedInterval,
  segment: Segment,
  units: Fraction,
  fractions: FractionFormat,
): PricedLine {
  const { source } = interval;
  const quantity = pricedQuantity(interval, segment.quantity);
  const subtotal = subtotalOf(quantity, units);
  const startDate = formatInstant(segment.start);
  return {
    line: {
      lineKey: `${source.id}:${startDate}`,
      intervalId: source.id,
      orderLineItemId: source.orderLineItemId,
      description: source.description,
      billingMode: source.billingMode,
      startDate,
      endDate: formatInstant(segment.end),
      quantity: quantity.text,
      unitPrice: interval.unitPriceText,
      units: fractions.format(units),
      subtotal: subtotal.text,
    },
    subtotal: subtotal.rounded,
  };
}

function pricedQuantity(interval: PricedInterval, quantity: Decimal): PricedQuantity {
  let priced = interval.quantities.get(quantity);
  if (!priced) {
    priced = {
      text: formatDecimal(quantity),
      timesUnitPrice: quantity.times(interval.unitPrice),
      subtotals: new Map(),
    };
    interval.quantities.set(quantity, priced);
  }
  return priced;
}

/** round2(quantity × unitPrice × num ÷ den): the division is the last, inexact, step. */
function subtotalOf(quantity: PricedQuantity, units: Fraction): { rounded: Decimal; text: string } {
  const key = `${units.num}/${units.den}`;
  let subtotal = quantity.subtotals.get(key);
  if (!subtotal) {
    const exact = quantity.timesUnitPrice.times(units.num.toString()).div(units.den.toString());
    const rounded = roundMoney(exact);
    subtotal = { rounded, text: formatMoney(rounded) };
    quantity.subtotals.set(key, subtotal);
  }
  return subtotal;
}

/** Prints unit counts and proration factors; a schedule's periods repeat a handful of them. */
class FractionFormat {
  private readonly printed = new Map<string, string>();

  format({ num, den }: Fraction): string {
    if (num % den === 0n) return (num / den).toString();
    const key = `${num}/${den}`;
    let text = this.printed.get(key);
    if (text === undefined) {
      const quotient = new Dec(num.toString()).div(den.toString());
      text = formatDecimal(quotient.toDecimalPlaces(FRACTION_DECIMALS, Dec.ROUND_HALF_UP));
      this.printed.set(key, text);
    }
    return text;
  }
}

/**
 * Calendar length of [from, to) in the zone (calendarDaysBetween × 86 400 000, exact), in
 * whole milliseconds: offsets are whole seconds, but luxon gives them in minutes, so a local
 * mean time offset (before ~1900) such as -4:56:02 arrives as -296.0333… and its product
 * with 60 000 carries float noise that rounding removes.
 */
function length(clock: ZoneClock, from: number, to: number): bigint {
  return BigInt(Math.round(wallMillisBetween(clock, from, to)));
}
