/**
 * Hand-computed vectors for the period engine and amounts (SPEC §3.1–3.2). Every expected
 * value comes from the rules, with the arithmetic in a comment where it is not obvious.
 * Dates: `d('2024-01-31')` is `2024-01-31T00:00:00Z`, `d('2024-01-10T08:00')` is
 * `2024-01-10T08:00:00Z`; non-UTC vectors spell out the UTC instants.
 * Unit counts and proration factors print with at most 12 decimals (half-up).
 */
import type { ScheduleInterval, ScheduleTerms } from '../billing-schedule/billing-schedule.types';
import { billingPeriods, computePeriods, type InvoiceLine } from '.';

function d(s: string): string {
  if (s.length === 10) return `${s}T00:00:00Z`;
  if (s.length === 16) return `${s}:00Z`;
  return s;
}

type TermsInput = Partial<ScheduleTerms> & Pick<ScheduleTerms, 'startDate' | 'endDate'>;
type IntervalInput = Partial<ScheduleInterval>;
/** [start, end, isStub, grid cell [fullStart, fullEnd] when the period is a stub]. */
type Row = [string, string, boolean, [string, string]?];

interface Vector {
  name: string;
  terms: TermsInput;
  periods: Row[];
  intervals?: IntervalInput[];
  amounts?: string[];
  /** Expected lines by period index (each line checked on the fields given). */
  lines?: Record<number, Partial<InvoiceLine>[]>;
  factors?: string[];
  issueDates?: string[];
  dueDates?: string[];
}

function terms(input: TermsInput): ScheduleTerms {
  return {
    alignmentPolicy: 'anchor',
    prorationPolicy: 'none',
    periodPreset: 'P1M',
    customPeriodWindows: [],
    timezone: 'UTC',
    paymentTermDays: null,
    ...input,
    startDate: d(input.startDate),
    endDate: d(input.endDate),
    billingAnchor: d(input.billingAnchor ?? input.startDate),
  };
}

function interval(input: IntervalInput, schedule: ScheduleTerms): ScheduleInterval {
  return {
    id: 'si_1',
    orderLineItemId: null,
    itemId: null,
    priceId: null,
    description: null,
    baseQuantity: '1',
    unitPrice: '10',
    billingCadence: 'P1M',
    billingMode: 'advance',
    quantityTransitions: [],
    billDate: null,
    usageFilter: null,
    metadata: {},
    createdAt: '2024-01-01T00:00:00Z',
    updatedAt: '2024-01-01T00:00:00Z',
    ...input,
    startDate: input.startDate ? d(input.startDate) : schedule.startDate,
    endDate: input.endDate ? d(input.endDate) : schedule.endDate,
  };
}

const windows = (...bounds: string[]) =>
  bounds.slice(1).map((end, i) => ({ startDate: d(bounds[i]), endDate: d(end) }));

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';

const periodVectors: Vector[] = [
  // ── anchor, P1M ──────────────────────────────────────────────────────────────────────
  {
    name: 'anchor Jan 31 2024 P1M sticks to the 31st: Feb 29 (leap), Mar 31, Apr 30, May 31',
    terms: { startDate: '2024-01-31', endDate: '2024-05-31' },
    periods: [
      ['2024-01-31', '2024-02-29', false],
      ['2024-02-29', '2024-03-31', false],
      ['2024-03-31', '2024-04-30', false],
      ['2024-04-30', '2024-05-31', false],
    ],
  },
  {
    name: 'anchor Jan 31 2023 P1M: Feb 28 in a common year, then Mar 31',
    terms: { startDate: '2023-01-31', endDate: '2023-04-30' },
    periods: [
      ['2023-01-31', '2023-02-28', false],
      ['2023-02-28', '2023-03-31', false],
      ['2023-03-31', '2023-04-30', false],
    ],
  },
  {
    name: 'anchor Jan 31 with a later start: Apr 30 → May 31 (never from the clamped Apr 30)',
    terms: { startDate: '2024-04-30', endDate: '2024-07-31', billingAnchor: '2024-01-31' },
    periods: [
      ['2024-04-30', '2024-05-31', false],
      ['2024-05-31', '2024-06-30', false],
      ['2024-06-30', '2024-07-31', false],
    ],
  },
  {
    name: 'anchor Jan 15, start Jan 1: leading stub in the cell Dec 15 → Jan 15',
    terms: { startDate: '2024-01-01', endDate: '2024-03-15', billingAnchor: '2024-01-15' },
    periods: [
      ['2024-01-01', '2024-01-15', true, ['2023-12-15', '2024-01-15']],
      ['2024-01-15', '2024-02-15', false],
      ['2024-02-15', '2024-03-15', false],
    ],
  },
  {
    name: 'anchor Jan 1, end Mar 20: trailing stub in the cell Mar 1 → Apr 1',
    terms: { startDate: '2024-01-01', endDate: '2024-03-20' },
    periods: [
      ['2024-01-01', '2024-02-01', false],
      ['2024-02-01', '2024-03-01', false],
      ['2024-03-01', '2024-03-20', true, ['2024-03-01', '2024-04-01']],
    ],
  },
  {
    name: 'anchor years before the start keeps its day and time of day (10th, 08:00); both stubs',
    terms: {
      startDate: '2024-01-01',
      endDate: '2024-03-01',
      billingAnchor: '2020-03-10T08:00',
    },
    periods: [
      ['2024-01-01', '2024-01-10T08:00', true, ['2023-12-10T08:00', '2024-01-10T08:00']],
      ['2024-01-10T08:00', '2024-02-10T08:00', false],
      ['2024-02-10T08:00', '2024-03-01', true, ['2024-02-10T08:00', '2024-03-10T08:00']],
    ],
  },
  {
    name: 'anchor after the endDate still defines the grid (20th)',
    terms: { startDate: '2024-01-05', endDate: '2024-03-05', billingAnchor: '2030-06-20' },
    periods: [
      ['2024-01-05', '2024-01-20', true, ['2023-12-20', '2024-01-20']],
      ['2024-01-20', '2024-02-20', false],
      ['2024-02-20', '2024-03-05', true, ['2024-02-20', '2024-03-20']],
    ],
  },
  {
    name: 'schedule inside one cell is a single stub',
    terms: { startDate: '2024-01-10', endDate: '2024-01-20', billingAnchor: '2024-01-01' },
    periods: [['2024-01-10', '2024-01-20', true, ['2024-01-01', '2024-02-01']]],
  },
  {
    name: 'anchor with a time of day (seed instant 05:31:56Z)',
    terms: { startDate: '2023-11-07T05:31:56Z', endDate: '2024-02-07T05:31:56Z' },
    periods: [
      ['2023-11-07T05:31:56Z', '2023-12-07T05:31:56Z', false],
      ['2023-12-07T05:31:56Z', '2024-01-07T05:31:56Z', false],
      ['2024-01-07T05:31:56Z', '2024-02-07T05:31:56Z', false],
    ],
  },
  {
    name: 'anchor Jan 30: Feb 29, then back to the 30th',
    terms: { startDate: '2024-01-30', endDate: '2024-04-30' },
    periods: [
      ['2024-01-30', '2024-02-29', false],
      ['2024-02-29', '2024-03-30', false],
      ['2024-03-30', '2024-04-30', false],
    ],
  },
  {
    name: 'anchor Feb 29 P1M keeps the 29th',
    terms: { startDate: '2024-02-29', endDate: '2024-05-29' },
    periods: [
      ['2024-02-29', '2024-03-29', false],
      ['2024-03-29', '2024-04-29', false],
      ['2024-04-29', '2024-05-29', false],
    ],
  },
  {
    name: 'exactly one full cell',
    terms: { startDate: '2024-06-01', endDate: '2024-07-01' },
    periods: [['2024-06-01', '2024-07-01', false]],
  },
  {
    name: 'anchor Jan 31, start Feb 10: leading stub ends on the clamped Feb 29',
    terms: { startDate: '2024-02-10', endDate: '2024-04-10', billingAnchor: '2024-01-31' },
    periods: [
      ['2024-02-10', '2024-02-29', true, ['2024-01-31', '2024-02-29']],
      ['2024-02-29', '2024-03-31', false],
      ['2024-03-31', '2024-04-10', true, ['2024-03-31', '2024-04-30']],
    ],
  },
  // ── anchor, P3M / P6M / P1Y ──────────────────────────────────────────────────────────
  {
    name: 'anchor Nov 30 P3M: Feb 29, May 30, Aug 30, Nov 30',
    terms: { startDate: '2023-11-30', endDate: '2024-11-30', periodPreset: 'P3M' },
    periods: [
      ['2023-11-30', '2024-02-29', false],
      ['2024-02-29', '2024-05-30', false],
      ['2024-05-30', '2024-08-30', false],
      ['2024-08-30', '2024-11-30', false],
    ],
  },
  {
    name: 'anchor Aug 31 P6M: Feb 29, Aug 31',
    terms: { startDate: '2023-08-31', endDate: '2024-08-31', periodPreset: 'P6M' },
    periods: [
      ['2023-08-31', '2024-02-29', false],
      ['2024-02-29', '2024-08-31', false],
    ],
  },
  {
    name: 'leap-day anchor Feb 29 2024 P1Y: Feb 28 2025, 2026, 2027, then Feb 29 2028',
    terms: { startDate: '2024-02-29', endDate: '2028-02-29', periodPreset: 'P1Y' },
    periods: [
      ['2024-02-29', '2025-02-28', false],
      ['2025-02-28', '2026-02-28', false],
      ['2026-02-28', '2027-02-28', false],
      ['2027-02-28', '2028-02-29', false],
    ],
  },
  {
    name: 'anchor Jul 1 P1Y with leading and trailing stubs',
    terms: {
      startDate: '2024-03-01',
      endDate: '2025-10-01',
      billingAnchor: '2022-07-01',
      periodPreset: 'P1Y',
    },
    periods: [
      ['2024-03-01', '2024-07-01', true, ['2023-07-01', '2024-07-01']],
      ['2024-07-01', '2025-07-01', false],
      ['2025-07-01', '2025-10-01', true, ['2025-07-01', '2026-07-01']],
    ],
  },
  {
    name: 'anchor Feb 15 P3M with both stubs (grid Nov 15, Feb 15, May 15, Aug 15)',
    terms: {
      startDate: '2024-01-01',
      endDate: '2024-06-01',
      billingAnchor: '2024-02-15',
      periodPreset: 'P3M',
    },
    periods: [
      ['2024-01-01', '2024-02-15', true, ['2023-11-15', '2024-02-15']],
      ['2024-02-15', '2024-05-15', false],
      ['2024-05-15', '2024-06-01', true, ['2024-05-15', '2024-08-15']],
    ],
  },
  {
    name: 'anchor May 31 12:00 P6M: Nov 30 12:00 / May 31 12:00, both stubs',
    terms: {
      startDate: '2024-01-01',
      endDate: '2024-12-31T12:00',
      billingAnchor: '2021-05-31T12:00',
      periodPreset: 'P6M',
    },
    periods: [
      ['2024-01-01', '2024-05-31T12:00', true, ['2023-11-30T12:00', '2024-05-31T12:00']],
      ['2024-05-31T12:00', '2024-11-30T12:00', false],
      ['2024-11-30T12:00', '2024-12-31T12:00', true, ['2024-11-30T12:00', '2025-05-31T12:00']],
    ],
  },
  // ── calendar ─────────────────────────────────────────────────────────────────────────
  {
    name: 'calendar P1M: 1st of each month, leading and trailing stubs',
    terms: { startDate: '2024-01-15', endDate: '2024-04-10', alignmentPolicy: 'calendar' },
    periods: [
      ['2024-01-15', '2024-02-01', true, ['2024-01-01', '2024-02-01']],
      ['2024-02-01', '2024-03-01', false],
      ['2024-03-01', '2024-04-01', false],
      ['2024-04-01', '2024-04-10', true, ['2024-04-01', '2024-05-01']],
    ],
  },
  {
    name: 'calendar P3M: quarters Jan/Apr/Jul/Oct, into the next year',
    terms: {
      startDate: '2024-02-10',
      endDate: '2025-02-10',
      alignmentPolicy: 'calendar',
      periodPreset: 'P3M',
    },
    periods: [
      ['2024-02-10', '2024-04-01', true, ['2024-01-01', '2024-04-01']],
      ['2024-04-01', '2024-07-01', false],
      ['2024-07-01', '2024-10-01', false],
      ['2024-10-01', '2025-01-01', false],
      ['2025-01-01', '2025-02-10', true, ['2025-01-01', '2025-04-01']],
    ],
  },
  {
    name: 'calendar P6M: halves Jan/Jul',
    terms: {
      startDate: '2024-03-01',
      endDate: '2025-03-01',
      alignmentPolicy: 'calendar',
      periodPreset: 'P6M',
    },
    periods: [
      ['2024-03-01', '2024-07-01', true, ['2024-01-01', '2024-07-01']],
      ['2024-07-01', '2025-01-01', false],
      ['2025-01-01', '2025-03-01', true, ['2025-01-01', '2025-07-01']],
    ],
  },
  {
    name: 'calendar P1Y: Jan 1',
    terms: {
      startDate: '2023-06-01',
      endDate: '2025-06-01',
      alignmentPolicy: 'calendar',
      periodPreset: 'P1Y',
    },
    periods: [
      ['2023-06-01', '2024-01-01', true, ['2023-01-01', '2024-01-01']],
      ['2024-01-01', '2025-01-01', false],
      ['2025-01-01', '2025-06-01', true, ['2025-01-01', '2026-01-01']],
    ],
  },
  {
    name: 'calendar P1M ignores the anchor',
    terms: {
      startDate: '2024-01-01',
      endDate: '2024-04-01',
      billingAnchor: '2024-01-17T09:00',
      alignmentPolicy: 'calendar',
    },
    periods: [
      ['2024-01-01', '2024-02-01', false],
      ['2024-02-01', '2024-03-01', false],
      ['2024-03-01', '2024-04-01', false],
    ],
  },
  {
    name: 'calendar P3M, aligned year: four quarters',
    terms: {
      startDate: '2024-01-01',
      endDate: '2025-01-01',
      alignmentPolicy: 'calendar',
      periodPreset: 'P3M',
    },
    periods: [
      ['2024-01-01', '2024-04-01', false],
      ['2024-04-01', '2024-07-01', false],
      ['2024-07-01', '2024-10-01', false],
      ['2024-10-01', '2025-01-01', false],
    ],
  },
  {
    name: 'calendar P1M starting at noon on the 1st is a stub',
    terms: { startDate: '2024-01-01T12:00', endDate: '2024-02-01', alignmentPolicy: 'calendar' },
    periods: [['2024-01-01T12:00', '2024-02-01', true, ['2024-01-01', '2024-02-01']]],
  },
  {
    name: 'calendar P1Y shorter than a year is one stub',
    terms: {
      startDate: '2024-03-01',
      endDate: '2024-09-01',
      alignmentPolicy: 'calendar',
      periodPreset: 'P1Y',
    },
    periods: [['2024-03-01', '2024-09-01', true, ['2024-01-01', '2025-01-01']]],
  },
  // ── coterm ───────────────────────────────────────────────────────────────────────────
  {
    name: 'coterm P1M ending Jun 30: the 30th sticks (Feb 29), last period ends at endDate',
    terms: { startDate: '2024-01-15', endDate: '2024-06-30', alignmentPolicy: 'coterm' },
    periods: [
      ['2024-01-15', '2024-01-30', true, ['2023-12-30', '2024-01-30']],
      ['2024-01-30', '2024-02-29', false],
      ['2024-02-29', '2024-03-30', false],
      ['2024-03-30', '2024-04-30', false],
      ['2024-04-30', '2024-05-30', false],
      ['2024-05-30', '2024-06-30', false],
    ],
  },
  {
    name: 'coterm P3M ending Dec 31: Sep 30, Jun 30, Mar 31, Dec 31',
    terms: {
      startDate: '2024-01-01',
      endDate: '2024-12-31',
      alignmentPolicy: 'coterm',
      periodPreset: 'P3M',
    },
    periods: [
      ['2024-01-01', '2024-03-31', true, ['2023-12-31', '2024-03-31']],
      ['2024-03-31', '2024-06-30', false],
      ['2024-06-30', '2024-09-30', false],
      ['2024-09-30', '2024-12-31', false],
    ],
  },
  {
    name: 'coterm P1Y takes the time of day from endDate (10:00)',
    terms: {
      startDate: '2024-01-01',
      endDate: '2026-03-15T10:00',
      alignmentPolicy: 'coterm',
      periodPreset: 'P1Y',
    },
    periods: [
      ['2024-01-01', '2024-03-15T10:00', true, ['2023-03-15T10:00', '2024-03-15T10:00']],
      ['2024-03-15T10:00', '2025-03-15T10:00', false],
      ['2025-03-15T10:00', '2026-03-15T10:00', false],
    ],
  },
  {
    name: 'coterm P3M shorter than a step: one stub ending at endDate',
    terms: {
      startDate: '2024-02-01',
      endDate: '2024-03-15',
      alignmentPolicy: 'coterm',
      periodPreset: 'P3M',
    },
    periods: [['2024-02-01', '2024-03-15', true, ['2023-12-15', '2024-03-15']]],
  },
  {
    name: 'coterm P6M aligned on both ends',
    terms: {
      startDate: '2024-01-31',
      endDate: '2025-01-31',
      alignmentPolicy: 'coterm',
      periodPreset: 'P6M',
    },
    periods: [
      ['2024-01-31', '2024-07-31', false],
      ['2024-07-31', '2025-01-31', false],
    ],
  },
  {
    name: 'coterm P1M ending Feb 29 keeps the 29th backwards',
    terms: { startDate: '2023-11-29', endDate: '2024-02-29', alignmentPolicy: 'coterm' },
    periods: [
      ['2023-11-29', '2023-12-29', false],
      ['2023-12-29', '2024-01-29', false],
      ['2024-01-29', '2024-02-29', false],
    ],
  },
  {
    name: 'coterm P1M ending Feb 28 2023: the 28th sticks (Jan 28, not Jan 31)',
    terms: { startDate: '2022-12-01', endDate: '2023-02-28', alignmentPolicy: 'coterm' },
    periods: [
      ['2022-12-01', '2022-12-28', true, ['2022-11-28', '2022-12-28']],
      ['2022-12-28', '2023-01-28', false],
      ['2023-01-28', '2023-02-28', false],
    ],
  },
  // ── single / custom ──────────────────────────────────────────────────────────────────
  {
    name: 'single: one period, never a stub',
    terms: { startDate: '2024-01-15', endDate: '2024-03-20', periodPreset: 'single' },
    periods: [['2024-01-15', '2024-03-20', false]],
  },
  {
    name: 'single ignores calendar alignment',
    terms: {
      startDate: '2024-01-15T08:00',
      endDate: '2025-01-01',
      alignmentPolicy: 'calendar',
      periodPreset: 'single',
    },
    periods: [['2024-01-15T08:00', '2025-01-01', false]],
  },
  {
    name: 'custom: the windows, in order',
    terms: {
      startDate: '2024-01-01',
      endDate: '2024-04-01',
      periodPreset: 'custom',
      customPeriodWindows: windows('2024-01-01', '2024-01-10', '2024-02-20', '2024-04-01'),
    },
    periods: [
      ['2024-01-01', '2024-01-10', false],
      ['2024-01-10', '2024-02-20', false],
      ['2024-02-20', '2024-04-01', false],
    ],
  },
  {
    name: 'custom: one window',
    terms: {
      startDate: '2024-05-05',
      endDate: '2024-05-25',
      periodPreset: 'custom',
      customPeriodWindows: windows('2024-05-05', '2024-05-25'),
    },
    periods: [['2024-05-05', '2024-05-25', false]],
  },
  // ── non-UTC zones (outputs are UTC, so UTC hours move with DST) ─────────────────────────
  {
    name: 'New York calendar P1M 2024: local midnight, offset -5 → -4 (Mar 10) → -5 (Nov 3)',
    terms: {
      startDate: '2024-01-01T05:00:00Z',
      endDate: '2025-01-01T05:00:00Z',
      alignmentPolicy: 'calendar',
      timezone: NY,
    },
    periods: [
      ['2024-01-01T05:00:00Z', '2024-02-01T05:00:00Z', false],
      ['2024-02-01T05:00:00Z', '2024-03-01T05:00:00Z', false],
      ['2024-03-01T05:00:00Z', '2024-04-01T04:00:00Z', false],
      ['2024-04-01T04:00:00Z', '2024-05-01T04:00:00Z', false],
      ['2024-05-01T04:00:00Z', '2024-06-01T04:00:00Z', false],
      ['2024-06-01T04:00:00Z', '2024-07-01T04:00:00Z', false],
      ['2024-07-01T04:00:00Z', '2024-08-01T04:00:00Z', false],
      ['2024-08-01T04:00:00Z', '2024-09-01T04:00:00Z', false],
      ['2024-09-01T04:00:00Z', '2024-10-01T04:00:00Z', false],
      ['2024-10-01T04:00:00Z', '2024-11-01T04:00:00Z', false],
      ['2024-11-01T04:00:00Z', '2024-12-01T05:00:00Z', false],
      ['2024-12-01T05:00:00Z', '2025-01-01T05:00:00Z', false],
    ],
  },
  {
    name: 'Berlin anchor Jan 31 00:00 local P1M: sticky day and local midnight across Mar 31',
    terms: {
      startDate: '2024-01-30T23:00:00Z', // Jan 31 00:00 CET
      endDate: '2024-05-30T22:00:00Z', // May 31 00:00 CEST
      timezone: BERLIN,
    },
    periods: [
      ['2024-01-30T23:00:00Z', '2024-02-28T23:00:00Z', false],
      // Mar 31 00:00 is still CET (clocks change at 02:00 that night).
      ['2024-02-28T23:00:00Z', '2024-03-30T23:00:00Z', false],
      ['2024-03-30T23:00:00Z', '2024-04-29T22:00:00Z', false],
      ['2024-04-29T22:00:00Z', '2024-05-30T22:00:00Z', false],
    ],
  },
  {
    name: "Berlin calendar P3M 2024: uses the local year (start's UTC date is Dec 31 2023)",
    terms: {
      startDate: '2023-12-31T23:00:00Z',
      endDate: '2024-12-31T23:00:00Z',
      alignmentPolicy: 'calendar',
      periodPreset: 'P3M',
      timezone: BERLIN,
    },
    periods: [
      ['2023-12-31T23:00:00Z', '2024-03-31T22:00:00Z', false],
      ['2024-03-31T22:00:00Z', '2024-06-30T22:00:00Z', false],
      ['2024-06-30T22:00:00Z', '2024-09-30T22:00:00Z', false],
      ['2024-09-30T22:00:00Z', '2024-12-31T23:00:00Z', false],
    ],
  },
  {
    name: 'New York coterm P1M across the fall-back (EDT → EST)',
    terms: {
      startDate: '2024-09-15T04:00:00Z',
      endDate: '2024-11-15T05:00:00Z',
      alignmentPolicy: 'coterm',
      timezone: NY,
    },
    periods: [
      ['2024-09-15T04:00:00Z', '2024-10-15T04:00:00Z', false],
      ['2024-10-15T04:00:00Z', '2024-11-15T05:00:00Z', false],
    ],
  },
  {
    name: 'New York anchor 09:30 local keeps 09:30 across the spring-forward',
    terms: {
      startDate: '2024-03-05T14:30:00Z', // 09:30 EST
      endDate: '2024-05-05T13:30:00Z', // 09:30 EDT
      timezone: NY,
    },
    periods: [
      ['2024-03-05T14:30:00Z', '2024-04-05T13:30:00Z', false],
      ['2024-04-05T13:30:00Z', '2024-05-05T13:30:00Z', false],
    ],
  },
  {
    name: 'Sydney calendar P6M 2024: southern DST, offset +11 → +10 → +11',
    terms: {
      startDate: '2023-12-31T13:00:00Z',
      endDate: '2024-12-31T13:00:00Z',
      alignmentPolicy: 'calendar',
      periodPreset: 'P6M',
      timezone: 'Australia/Sydney',
    },
    periods: [
      ['2023-12-31T13:00:00Z', '2024-06-30T14:00:00Z', false],
      ['2024-06-30T14:00:00Z', '2024-12-31T13:00:00Z', false],
    ],
  },
  {
    name: 'Tokyo calendar P1M: boundaries at 15:00Z; Jan 15 09:00 JST start is a stub',
    terms: {
      startDate: '2024-01-15T00:00:00Z',
      endDate: '2024-02-29T15:00:00Z',
      alignmentPolicy: 'calendar',
      timezone: 'Asia/Tokyo',
    },
    periods: [
      [
        '2024-01-15T00:00:00Z',
        '2024-01-31T15:00:00Z',
        true,
        ['2023-12-31T15:00:00Z', '2024-01-31T15:00:00Z'],
      ],
      ['2024-01-31T15:00:00Z', '2024-02-29T15:00:00Z', false],
    ],
  },
];

const calendarJanFeb: TermsInput = {
  startDate: '2024-01-01',
  endDate: '2024-03-01',
  alignmentPolicy: 'calendar',
};
const JAN_FEB: Row[] = [
  ['2024-01-01', '2024-02-01', false],
  ['2024-02-01', '2024-03-01', false],
];
const calendarJanuary: TermsInput = {
  startDate: '2024-01-01',
  endDate: '2024-02-01',
  alignmentPolicy: 'calendar',
};
const JANUARY: Row[] = [['2024-01-01', '2024-02-01', false]];
const stubJan15: TermsInput = {
  startDate: '2024-01-15',
  endDate: '2024-02-01',
  alignmentPolicy: 'calendar',
  prorationPolicy: 'daily',
};
const STUB_JAN15: Row[] = [['2024-01-15', '2024-02-01', true, ['2024-01-01', '2024-02-01']]];

const amountVectors: Vector[] = [
  {
    name: 'none, full P1M periods: 2.50 × 10 × 1',
    terms: calendarJanFeb,
    periods: JAN_FEB,
    intervals: [{ baseQuantity: '2.50', unitPrice: '10' }],
    amounts: ['25.00', '25.00'],
    factors: ['1', '1'],
    lines: {
      0: [
        {
          lineKey: 'si_1:2024-01-01T00:00:00Z',
          intervalId: 'si_1',
          startDate: '2024-01-01',
          endDate: '2024-02-01',
          quantity: '2.5',
          unitPrice: '10',
          units: '1',
          subtotal: '25.00',
        },
      ],
    },
  },
  {
    name: 'daily leading stub Jan 15 → Feb 1 is 17/31 of January',
    terms: { ...calendarJanFeb, startDate: '2024-01-15', prorationPolicy: 'daily' },
    periods: [['2024-01-15', '2024-02-01', true, ['2024-01-01', '2024-02-01']], JAN_FEB[1]],
    intervals: [{ unitPrice: '31' }],
    amounts: ['17.00', '31.00'], // 31 × 17/31, 31 × 1
    factors: ['0.548387096774', '1'], // 17/31 = 0.5483870967741…
    lines: { 0: [{ startDate: '2024-01-15', units: '0.548387096774', subtotal: '17.00' }] },
  },
  {
    name: 'none: the same leading stub is charged in full',
    terms: { ...calendarJanFeb, startDate: '2024-01-15' },
    periods: [['2024-01-15', '2024-02-01', true, ['2024-01-01', '2024-02-01']], JAN_FEB[1]],
    intervals: [{ unitPrice: '31' }],
    amounts: ['31.00', '31.00'],
    factors: ['1', '1'],
    lines: { 0: [{ startDate: '2024-01-15', units: '1', subtotal: '31.00' }] },
  },
  {
    name: 'daily trailing stub Feb 1 → Feb 10 2024 is 9/29 (leap February)',
    terms: { ...calendarJanFeb, endDate: '2024-02-10', prorationPolicy: 'daily' },
    periods: [JAN_FEB[0], ['2024-02-01', '2024-02-10', true, ['2024-02-01', '2024-03-01']]],
    intervals: [{ unitPrice: '29' }],
    amounts: ['29.00', '9.00'],
    factors: ['1', '0.310344827586'], // 9/29 = 0.3103448275862…
  },
  {
    name: 'daily anchor stub uses the cell that ends at the first boundary (Jan 31 → Feb 29)',
    terms: {
      startDate: '2024-02-10',
      endDate: '2024-03-31',
      billingAnchor: '2024-01-31',
      prorationPolicy: 'daily',
    },
    periods: [
      ['2024-02-10', '2024-02-29', true, ['2024-01-31', '2024-02-29']],
      ['2024-02-29', '2024-03-31', false],
    ],
    intervals: [{ unitPrice: '29' }],
    amounts: ['19.00', '29.00'], // 29 × 19/29 (cell Jan 31 → Feb 29 has 29 days)
    factors: ['0.655172413793', '1'], // 19/29 = 0.6551724137931…
  },
  {
    name: 'P3M period on a P1M cadence charges 3 units',
    terms: { startDate: '2024-01-01', endDate: '2024-07-01', periodPreset: 'P3M' },
    periods: [
      ['2024-01-01', '2024-04-01', false],
      ['2024-04-01', '2024-07-01', false],
    ],
    intervals: [{ unitPrice: '10' }],
    amounts: ['30.00', '30.00'],
    lines: { 1: [{ units: '3', subtotal: '30.00' }] },
  },
  {
    name: 'P1M period on a P1Y cadence charges 1/12',
    terms: calendarJanFeb,
    periods: JAN_FEB,
    intervals: [{ unitPrice: '120', billingCadence: 'P1Y' }],
    amounts: ['10.00', '10.00'],
    lines: { 0: [{ units: '0.083333333333', subtotal: '10.00' }] },
  },
  {
    name: 'P1W cadence on 29-day February: 29/7 weeks',
    terms: { startDate: '2024-02-01', endDate: '2024-03-01', alignmentPolicy: 'calendar' },
    periods: [['2024-02-01', '2024-03-01', false]],
    intervals: [{ unitPrice: '7', billingCadence: 'P1W' }],
    amounts: ['29.00'], // 7 × 29/7
    lines: { 0: [{ units: '4.142857142857', subtotal: '29.00' }] },
  },
  {
    name: 'P30D cadence on 31-day January: 31/30',
    terms: calendarJanuary,
    periods: JANUARY,
    intervals: [{ unitPrice: '30', billingCadence: 'P30D' }],
    amounts: ['31.00'],
    lines: { 0: [{ units: '1.033333333333', subtotal: '31.00' }] },
  },
  {
    name: 'P2W cadence, daily stub of 17 days: 17/14',
    terms: stubJan15,
    periods: STUB_JAN15,
    intervals: [{ unitPrice: '14', billingCadence: 'P2W' }],
    amounts: ['17.00'], // (31/14) × 17/31 = 17/14 → 14 × 17/14
    lines: { 0: [{ units: '1.214285714286', subtotal: '17.00' }] }, // 1.2142857142857…
  },
  {
    name: 'P1Y cadence, daily stub of 17 days: 1/12 × 17/31 = 17/372',
    terms: stubJan15,
    periods: STUB_JAN15,
    intervals: [{ unitPrice: '372', billingCadence: 'P1Y' }],
    amounts: ['17.00'],
    lines: { 0: [{ units: '0.045698924731', subtotal: '17.00' }] }, // 0.04569892473118…
  },
  {
    name: 'daily: quantity 1 → 3 on Jan 11 splits January into 10/31 and 21/31',
    terms: { ...calendarJanFeb, prorationPolicy: 'daily' },
    periods: JAN_FEB,
    intervals: [
      { unitPrice: '31', quantityTransitions: [{ effectiveDate: d('2024-01-11'), quantity: '3' }] },
    ],
    amounts: ['73.00', '93.00'], // 10 + 3 × 21; 3 × 31
    lines: {
      0: [
        {
          lineKey: 'si_1:2024-01-01T00:00:00Z',
          startDate: '2024-01-01',
          endDate: '2024-01-11',
          quantity: '1',
          units: '0.322580645161', // 10/31
          subtotal: '10.00',
        },
        {
          lineKey: 'si_1:2024-01-11T00:00:00Z',
          startDate: '2024-01-11',
          endDate: '2024-02-01',
          quantity: '3',
          units: '0.677419354839', // 21/31 = 0.67741935483870…
          subtotal: '63.00',
        },
      ],
      1: [{ startDate: '2024-02-01', quantity: '3', units: '1', subtotal: '93.00' }],
    },
  },
  {
    name: 'none: the same transition charges each period at its start quantity',
    terms: calendarJanFeb,
    periods: JAN_FEB,
    intervals: [
      { unitPrice: '31', quantityTransitions: [{ effectiveDate: d('2024-01-11'), quantity: '3' }] },
    ],
    amounts: ['31.00', '93.00'],
    lines: {
      0: [{ startDate: '2024-01-01', endDate: '2024-02-01', quantity: '1', units: '1' }],
      1: [{ quantity: '3', units: '1', subtotal: '93.00' }],
    },
  },
  {
    name: 'daily: a transition that keeps the quantity (2 → 2.000) changes no line',
    terms: { ...calendarJanuary, prorationPolicy: 'daily' },
    periods: JANUARY,
    intervals: [
      {
        baseQuantity: '2',
        unitPrice: '31',
        quantityTransitions: [{ effectiveDate: d('2024-01-11'), quantity: '2.000' }],
      },
    ],
    amounts: ['62.00'],
    lines: {
      0: [{ startDate: '2024-01-01', endDate: '2024-02-01', quantity: '2', units: '1' }],
    },
  },
  {
    name: 'daily: interval active Jan 11 → Feb 15 is charged 21/31 and 14/29',
    terms: { ...calendarJanFeb, prorationPolicy: 'daily' },
    periods: JAN_FEB,
    intervals: [{ unitPrice: '31', startDate: '2024-01-11', endDate: '2024-02-15' }],
    amounts: ['21.00', '14.97'], // 31 × 14/29 = 14.9655…
    factors: ['1', '1'],
    lines: {
      0: [{ startDate: '2024-01-11', endDate: '2024-02-01', units: '0.677419354839' }],
      1: [{ startDate: '2024-02-01', endDate: '2024-02-15', units: '0.48275862069' }],
    },
  },
  {
    name: 'none: a partly active interval is charged in full at the quantity when it starts',
    terms: calendarJanFeb,
    periods: JAN_FEB,
    intervals: [
      {
        baseQuantity: '2',
        unitPrice: '31',
        startDate: '2024-01-11',
        endDate: '2024-02-15',
        quantityTransitions: [{ effectiveDate: d('2024-01-20'), quantity: '4' }],
      },
    ],
    amounts: ['62.00', '124.00'], // 2 × 31 (quantity on Jan 11); 4 × 31 (quantity on Feb 1)
    lines: {
      0: [{ startDate: '2024-01-11', endDate: '2024-02-01', quantity: '2', units: '1' }],
      1: [{ startDate: '2024-02-01', endDate: '2024-02-15', quantity: '4', units: '1' }],
    },
  },
  {
    name: 'one_off is charged once, in the period containing its startDate',
    terms: { ...calendarJanFeb, prorationPolicy: 'daily' },
    periods: JAN_FEB,
    intervals: [
      {
        billingCadence: 'one_off',
        baseQuantity: '3',
        unitPrice: '9.99',
        startDate: '2024-01-05',
        quantityTransitions: [{ effectiveDate: d('2024-01-20'), quantity: '7' }],
      },
    ],
    amounts: ['29.97', '0.00'],
    lines: {
      0: [
        {
          lineKey: 'si_1:2024-01-05T00:00:00Z',
          startDate: '2024-01-05',
          endDate: '2024-03-01',
          quantity: '3',
          units: '1',
          subtotal: '29.97',
        },
      ],
      1: [],
    },
  },
  {
    name: 'P0D (one_off) with billDate in a later period',
    terms: calendarJanFeb,
    periods: JAN_FEB,
    intervals: [
      { billingCadence: 'P0D', baseQuantity: '3', unitPrice: '9.99', billDate: d('2024-02-15') },
    ],
    amounts: ['0.00', '29.97'],
    issueDates: ['2024-01-01', '2024-02-01'],
    lines: { 0: [], 1: [{ quantity: '3', units: '1', subtotal: '29.97' }] },
  },
  {
    name: 'each line rounds half-up (0.125 → 0.13, 1.005 → 1.01); amount = sum of rounded lines',
    terms: calendarJanuary,
    periods: JANUARY,
    intervals: [
      { id: 'si_1', unitPrice: '0.125' },
      { id: 'si_2', unitPrice: '0.125' },
      { id: 'si_3', unitPrice: '1.005' },
    ],
    amounts: ['1.27'], // 0.13 + 0.13 + 1.01, not round(1.255) = 1.26
    lines: {
      0: [
        { intervalId: 'si_1', subtotal: '0.13' },
        { intervalId: 'si_2', subtotal: '0.13' },
        { intervalId: 'si_3', subtotal: '1.01' },
      ],
    },
  },
  {
    name: 'negative unitPrice; -1.005 rounds half away from zero to -1.01',
    terms: calendarJanuary,
    periods: JANUARY,
    intervals: [
      { id: 'si_1', baseQuantity: '2', unitPrice: '-15' },
      { id: 'si_2', unitPrice: '-1.005' },
    ],
    amounts: ['-31.01'],
    lines: {
      0: [
        { unitPrice: '-15', subtotal: '-30.00' },
        { unitPrice: '-1.005', subtotal: '-1.01' },
      ],
    },
  },
  {
    name: 'null unitPrice still produces a zero line',
    terms: calendarJanuary,
    periods: JANUARY,
    intervals: [{ unitPrice: null, baseQuantity: '4' }],
    amounts: ['0.00'],
    lines: { 0: [{ quantity: '4', unitPrice: '0', units: '1', subtotal: '0.00' }] },
  },
  {
    name: 'issueDate: all advance → start; any arrears → end; no lines → start',
    terms: { startDate: '2024-01-01', endDate: '2024-04-01', alignmentPolicy: 'calendar' },
    periods: [
      ['2024-01-01', '2024-02-01', false],
      ['2024-02-01', '2024-03-01', false],
      ['2024-03-01', '2024-04-01', false],
    ],
    intervals: [
      { id: 'si_a', endDate: '2024-02-01' },
      { id: 'si_b', startDate: '2024-02-01', endDate: '2024-03-01', billingMode: 'arrears' },
      { id: 'si_c', startDate: '2024-02-01', endDate: '2024-03-01' },
    ],
    amounts: ['10.00', '20.00', '0.00'],
    issueDates: ['2024-01-01', '2024-03-01', '2024-03-01'],
    dueDates: ['2024-01-01', '2024-03-01', '2024-03-01'],
  },
  {
    name: 'arrears only: every issueDate is the period end',
    terms: calendarJanFeb,
    periods: JAN_FEB,
    intervals: [{ billingMode: 'arrears' }],
    issueDates: ['2024-02-01', '2024-03-01'],
    lines: { 0: [{ billingMode: 'arrears' }] },
  },
  {
    name: 'paymentTermDays 30 in UTC: Jan 1 → Jan 31, Feb 1 → Mar 2 (leap year)',
    terms: { ...calendarJanFeb, paymentTermDays: 30 },
    periods: JAN_FEB,
    intervals: [{}],
    issueDates: ['2024-01-01', '2024-02-01'],
    dueDates: ['2024-01-31', '2024-03-02'],
  },
  {
    name: 'New York due date across the spring-forward keeps local midnight (05:00Z → 04:00Z)',
    terms: {
      startDate: '2024-03-01T05:00:00Z',
      endDate: '2024-04-01T04:00:00Z',
      alignmentPolicy: 'calendar',
      timezone: NY,
      paymentTermDays: 15,
    },
    periods: [['2024-03-01T05:00:00Z', '2024-04-01T04:00:00Z', false]],
    intervals: [{}],
    issueDates: ['2024-03-01T05:00:00Z'],
    dueDates: ['2024-03-16T04:00:00Z'], // Mar 16 00:00 EDT
  },
  {
    name: 'Berlin due date across the fall-back: Oct 1 00:00 CEST + 30 = Oct 31 00:00 CET',
    terms: {
      startDate: '2024-09-30T22:00:00Z',
      endDate: '2024-10-31T23:00:00Z',
      alignmentPolicy: 'calendar',
      timezone: BERLIN,
      paymentTermDays: 30,
    },
    periods: [['2024-09-30T22:00:00Z', '2024-10-31T23:00:00Z', false]],
    intervals: [{}],
    issueDates: ['2024-09-30T22:00:00Z'],
    dueDates: ['2024-10-30T23:00:00Z'],
  },
  {
    name: 'New York arrears issued Nov 1 00:00 EDT + 5 days = Nov 6 00:00 EST',
    terms: {
      startDate: '2024-10-01T04:00:00Z',
      endDate: '2024-11-01T04:00:00Z',
      alignmentPolicy: 'calendar',
      timezone: NY,
      paymentTermDays: 5,
    },
    periods: [['2024-10-01T04:00:00Z', '2024-11-01T04:00:00Z', false]],
    intervals: [{ billingMode: 'arrears' }],
    issueDates: ['2024-11-01T04:00:00Z'],
    dueDates: ['2024-11-06T05:00:00Z'],
  },
  {
    name: 'New York daily stub from the spring-forward day: Mar 10 → Apr 1 is 22 of 31 days',
    terms: {
      startDate: '2024-03-10T05:00:00Z',
      endDate: '2024-04-01T04:00:00Z',
      alignmentPolicy: 'calendar',
      prorationPolicy: 'daily',
      timezone: NY,
    },
    periods: [
      [
        '2024-03-10T05:00:00Z',
        '2024-04-01T04:00:00Z',
        true,
        ['2024-03-01T05:00:00Z', '2024-04-01T04:00:00Z'],
      ],
    ],
    intervals: [{ unitPrice: '31' }],
    amounts: ['22.00'],
    factors: ['0.709677419355'], // 22/31 = 0.70967741935483…
  },
  {
    name: 'Berlin daily stub Mar 15 → Apr 1 across the spring-forward is 17/31',
    terms: {
      startDate: '2024-03-14T23:00:00Z',
      endDate: '2024-03-31T22:00:00Z',
      alignmentPolicy: 'calendar',
      prorationPolicy: 'daily',
      timezone: BERLIN,
    },
    periods: [
      [
        '2024-03-14T23:00:00Z',
        '2024-03-31T22:00:00Z',
        true,
        ['2024-02-29T23:00:00Z', '2024-03-31T22:00:00Z'],
      ],
    ],
    intervals: [{ unitPrice: '31' }],
    amounts: ['17.00'],
    factors: ['0.548387096774'],
  },
  {
    name: 'coterm daily leading stub: Jan 15 → Jan 30 of the cell Dec 30 → Jan 30 (15/31)',
    terms: {
      startDate: '2024-01-15',
      endDate: '2024-04-30',
      alignmentPolicy: 'coterm',
      prorationPolicy: 'daily',
    },
    periods: [
      ['2024-01-15', '2024-01-30', true, ['2023-12-30', '2024-01-30']],
      ['2024-01-30', '2024-02-29', false],
      ['2024-02-29', '2024-03-30', false],
      ['2024-03-30', '2024-04-30', false],
    ],
    intervals: [{ unitPrice: '31' }],
    amounts: ['15.00', '31.00', '31.00', '31.00'],
  },
  {
    name: 'single, daily, P1M cadence: 2 whole months + 5/31 of the next (Mar 15 → Apr 15)',
    terms: {
      startDate: '2024-01-15',
      endDate: '2024-03-20',
      periodPreset: 'single',
      prorationPolicy: 'daily',
    },
    periods: [['2024-01-15', '2024-03-20', false]],
    intervals: [{ unitPrice: '31' }],
    amounts: ['67.00'], // 31 × (2 + 5/31) = 62 + 5
    factors: ['1'],
    lines: { 0: [{ units: '2.161290322581' }] }, // 67/31 = 2.16129032258064…
  },
  {
    name: 'single, none: the remainder counts as a whole month (3)',
    terms: { startDate: '2024-01-15', endDate: '2024-03-20', periodPreset: 'single' },
    periods: [['2024-01-15', '2024-03-20', false]],
    intervals: [{ unitPrice: '31' }],
    amounts: ['93.00'],
    lines: { 0: [{ units: '3' }] },
  },
  {
    name: 'custom windows, daily, P1M cadence: 1, 14/29, 1 + 17/31',
    terms: {
      startDate: '2024-01-01',
      endDate: '2024-04-01',
      periodPreset: 'custom',
      prorationPolicy: 'daily',
      customPeriodWindows: windows('2024-01-01', '2024-02-01', '2024-02-15', '2024-04-01'),
    },
    periods: [
      ['2024-01-01', '2024-02-01', false],
      ['2024-02-01', '2024-02-15', false],
      ['2024-02-15', '2024-04-01', false],
    ],
    intervals: [{ unitPrice: '29' }],
    // Feb 1 → Feb 15: 0 steps + 14 of the 29 days to Mar 1.
    // Feb 15 → Apr 1: 1 step (Mar 15) + 17 of the 31 days Mar 15 → Apr 15; 29 × 48/31 = 44.903…
    amounts: ['29.00', '14.00', '44.90'],
    lines: {
      0: [{ units: '1' }],
      1: [{ units: '0.48275862069' }], // 14/29 = 0.48275862068965…
      2: [{ units: '1.548387096774' }], // 48/31 = 1.54838709677419…
    },
  },
  {
    name: 'custom windows, none: remainders round up to whole months (1, 1, 2)',
    terms: {
      startDate: '2024-01-01',
      endDate: '2024-04-01',
      periodPreset: 'custom',
      customPeriodWindows: windows('2024-01-01', '2024-02-01', '2024-02-15', '2024-04-01'),
    },
    periods: [
      ['2024-01-01', '2024-02-01', false],
      ['2024-02-01', '2024-02-15', false],
      ['2024-02-15', '2024-04-01', false],
    ],
    intervals: [{ unitPrice: '29' }],
    amounts: ['29.00', '29.00', '58.00'],
  },
  {
    name: 'single, daily, P1W cadence: 17 days = 2 weeks + 3/7',
    terms: {
      startDate: '2024-01-01',
      endDate: '2024-01-18',
      periodPreset: 'single',
      prorationPolicy: 'daily',
    },
    periods: [['2024-01-01', '2024-01-18', false]],
    intervals: [{ unitPrice: '7', billingCadence: 'P1W' }],
    amounts: ['17.00'],
    lines: { 0: [{ units: '2.428571428571' }] }, // 17/7 = 2.4285714285714…
  },
  {
    name: 'single, none, P1W cadence: 17 days → 3 weeks',
    terms: { startDate: '2024-01-01', endDate: '2024-01-18', periodPreset: 'single' },
    periods: [['2024-01-01', '2024-01-18', false]],
    intervals: [{ unitPrice: '7', billingCadence: 'P1W' }],
    amounts: ['21.00'],
  },
  {
    name: 'P1Y period: P1Y cadence is 1 unit, P1M cadence is 12',
    terms: { startDate: '2024-01-01', endDate: '2025-01-01', periodPreset: 'P1Y' },
    periods: [['2024-01-01', '2025-01-01', false]],
    intervals: [
      { id: 'si_y', unitPrice: '1200', billingCadence: 'P1Y' },
      { id: 'si_m', unitPrice: '100', billingCadence: 'P1M' },
    ],
    amounts: ['2400.00'],
    lines: {
      0: [
        { intervalId: 'si_y', units: '1', subtotal: '1200.00' },
        { intervalId: 'si_m', units: '12', subtotal: '1200.00' },
      ],
    },
  },
  {
    name: 'calendar P6M, daily, P3M cadence: Apr 1 → Jul 1 is 91 of 182 days of 2 units',
    terms: {
      startDate: '2024-04-01',
      endDate: '2024-07-01',
      alignmentPolicy: 'calendar',
      periodPreset: 'P6M',
      prorationPolicy: 'daily',
    },
    periods: [['2024-04-01', '2024-07-01', true, ['2024-01-01', '2024-07-01']]],
    intervals: [{ unitPrice: '100', billingCadence: 'P3M' }],
    amounts: ['100.00'], // 2 × 91/182 = 1 unit
    factors: ['0.5'],
    lines: { 0: [{ units: '1' }] },
  },
  {
    name: 'calendar P6M, none, P3M cadence: the stub is charged the full 2 units',
    terms: {
      startDate: '2024-04-01',
      endDate: '2024-07-01',
      alignmentPolicy: 'calendar',
      periodPreset: 'P6M',
    },
    periods: [['2024-04-01', '2024-07-01', true, ['2024-01-01', '2024-07-01']]],
    intervals: [{ unitPrice: '100', billingCadence: 'P3M' }],
    amounts: ['200.00'],
    factors: ['1'],
  },
  {
    name: 'daily with several transitions, one keeping the quantity: 5, 15 (merged), 10 days',
    terms: {
      startDate: '2024-04-01',
      endDate: '2024-05-01',
      alignmentPolicy: 'calendar',
      prorationPolicy: 'daily',
    },
    periods: [['2024-04-01', '2024-05-01', false]],
    intervals: [
      {
        unitPrice: '30',
        quantityTransitions: [
          { effectiveDate: d('2024-04-06'), quantity: '2' },
          { effectiveDate: d('2024-04-11'), quantity: '2' },
          { effectiveDate: d('2024-04-21'), quantity: '1' },
        ],
      },
    ],
    amounts: ['45.00'], // 5 + 2 × 15 + 10
    lines: {
      0: [
        { startDate: '2024-04-01', endDate: '2024-04-06', units: '0.166666666667' },
        { startDate: '2024-04-06', endDate: '2024-04-21', quantity: '2', units: '0.5' },
        { startDate: '2024-04-21', endDate: '2024-05-01', units: '0.333333333333' },
      ],
    },
  },
  {
    name: 'daily divides last: 0.045 × 10/30 = 0.015 exactly → 0.02',
    terms: {
      startDate: '2024-04-01',
      endDate: '2024-05-01',
      alignmentPolicy: 'calendar',
      prorationPolicy: 'daily',
    },
    periods: [['2024-04-01', '2024-05-01', false]],
    intervals: [{ unitPrice: '0.045', startDate: '2024-04-21' }],
    amounts: ['0.02'],
    lines: { 0: [{ units: '0.333333333333', subtotal: '0.02' }] },
  },
  {
    name: 'none, P30D cadence: the trailing stub is charged its whole cell (29/30)',
    terms: { ...calendarJanFeb, endDate: '2024-02-10' },
    periods: [JAN_FEB[0], ['2024-02-01', '2024-02-10', true, ['2024-02-01', '2024-03-01']]],
    intervals: [{ unitPrice: '30', billingCadence: 'P30D' }],
    amounts: ['31.00', '29.00'],
    lines: { 1: [{ units: '0.966666666667' }] }, // 29/30 = 0.9666…
  },
  {
    name: 'daily stub of half a day: anchor at 12:00, start at 00:00 (0.5 of 31 days)',
    terms: {
      startDate: '2024-01-01',
      endDate: '2024-02-01T12:00',
      billingAnchor: '2024-01-01T12:00',
      prorationPolicy: 'daily',
    },
    periods: [
      ['2024-01-01', '2024-01-01T12:00', true, ['2023-12-01T12:00', '2024-01-01T12:00']],
      ['2024-01-01T12:00', '2024-02-01T12:00', false],
    ],
    intervals: [{ unitPrice: '31' }],
    amounts: ['0.50', '31.00'],
    factors: ['0.016129032258', '1'], // 0.5/31 = 0.0161290322580…
    lines: { 1: [{ lineKey: 'si_1:2024-01-01T12:00:00Z', units: '1' }] },
  },
];

describe('period engine vectors', () => {
  const vectors = [...periodVectors, ...amountVectors];

  it('has at least 60 vectors', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(60);
  });

  it.each(vectors)('$name', (vector) => {
    const schedule = terms(vector.terms);
    const grid = schedule.periodPreset !== 'single' && schedule.periodPreset !== 'custom';
    const periods = computePeriods(schedule);

    expect(periods.map((p) => [p.startDate, p.endDate, p.isStub])).toEqual(
      vector.periods.map(([start, end, isStub]) => [d(start), d(end), isStub]),
    );
    vector.periods.forEach(([start, end, isStub, cell], i) => {
      const expectedCell = !grid ? [null, null] : isStub ? cell?.map(d) : [d(start), d(end)];
      if (expectedCell) expect([periods[i].fullStart, periods[i].fullEnd]).toEqual(expectedCell);
    });
    expect(periods.map((p) => p.index)).toEqual(periods.map((_, i) => i));

    if (!vector.intervals) return;
    const billed = billingPeriods(
      schedule,
      vector.intervals.map((i) => interval(i, schedule)),
    );
    expect(billed.map((p) => [p.startDate, p.endDate, p.isStub])).toEqual(
      periods.map((p) => [p.startDate, p.endDate, p.isStub]),
    );
    if (vector.amounts) expect(billed.map((p) => p.amount)).toEqual(vector.amounts);
    if (vector.factors) expect(billed.map((p) => p.prorationFactor)).toEqual(vector.factors);
    if (vector.issueDates) expect(billed.map((p) => p.issueDate)).toEqual(vector.issueDates.map(d));
    if (vector.dueDates) expect(billed.map((p) => p.dueDate)).toEqual(vector.dueDates.map(d));
    for (const [index, lines] of Object.entries(vector.lines ?? {})) {
      expect(billed[Number(index)].lines).toEqual(
        lines.map((line) =>
          expect.objectContaining({
            ...line,
            ...(line.startDate && { startDate: d(line.startDate) }),
            ...(line.endDate && { endDate: d(line.endDate) }),
          }),
        ),
      );
    }
  });
});
