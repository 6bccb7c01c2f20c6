import type {
  AlignmentPolicy,
  BillingMode,
  PeriodPreset,
  ScheduleInterval,
  ScheduleTerms,
} from '../../billing-schedule/billing-schedule.types';

/**
 * Random schedules for the differential spec, drawn from a seeded generator so that every run
 * checks the same cases and a failure names a reproducible seed. Biased towards what calendar
 * arithmetic gets wrong: DST zones (including half-hour and southern-hemisphere ones), local
 * times inside the repeated or skipped hour, anchors on the 28th–31st and leap days.
 */

/** mulberry32: small, fast, good enough to spread test cases. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'America/Los_Angeles',
  'America/Santiago',
  'America/St_Johns',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Asia/Kolkata',
  'Asia/Tehran',
  'Africa/Cairo',
];
const PRESETS: PeriodPreset[] = ['single', 'P1M', 'P3M', 'P6M', 'P1Y', 'custom'];
const ALIGNMENTS: AlignmentPolicy[] = ['anchor', 'calendar', 'coterm'];
const CADENCES = ['P1M', 'P3M', 'P1Y', 'P2M', 'P1W', 'P10D', 'P1D', 'one_off'];
const MODES: BillingMode[] = ['advance', 'arrears'];
const DAY = 86_400_000;

export interface RandomSchedule {
  terms: ScheduleTerms;
  intervals: ScheduleInterval[];
  /** An instant to locate with indexAt, as epoch ms. */
  probe: number;
}

export function randomSchedule(random: () => number): RandomSchedule {
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');

  const timezone = pick(ZONES);
  // An instant as text: mostly a local wall time without offset (read in the schedule's zone,
  // which is where repeated and skipped hours bite), sometimes UTC with Z.
  const instantText = (ms: number): string => {
    const d = new Date(ms);
    const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00`;
    return random() < 0.3 ? `${date}T${time}Z` : `${date}T${time}`;
  };
  // A day in 2000–2039, often the 28th–31st or Feb 29, at a time of day that is often within
  // the small hours where clocks change (00:00–03:59, on the hour or half hour).
  const instant = (): number => {
    const year = int(2000, 2039);
    const month = int(1, 12);
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const day = random() < 0.4 ? int(Math.min(28, lastDay), lastDay) : int(1, lastDay);
    const [hour, minute] = random() < 0.6 ? [int(0, 3), pick([0, 30])] : [int(0, 23), int(0, 59)];
    return Date.UTC(year, month - 1, day, hour, minute);
  };

  const start = instant();
  const lengthDays = random() < 0.93 ? int(1, 100) : int(100, 800);
  const end = start + lengthDays * DAY + int(-180, 180) * 60_000;
  const periodPreset = pick(PRESETS);
  const [startDate, endDate] = [instantText(start), instantText(Math.max(end, start + 60_000))];
  const windowCount = int(1, 3);
  const windowCuts = Array.from({ length: windowCount - 1 }, (_, i) =>
    instantText(start + Math.floor(((end - start) * (i + 1)) / windowCount)),
  );
  const windowBounds = [startDate, ...windowCuts, endDate];
  const terms: ScheduleTerms = {
    startDate,
    endDate,
    billingAnchor: instantText(random() < 0.5 ? instant() : start - int(0, 400) * DAY),
    alignmentPolicy: pick(ALIGNMENTS),
    prorationPolicy: random() < 0.5 ? 'none' : 'daily',
    periodPreset,
    customPeriodWindows:
      periodPreset === 'custom'
        ? windowBounds
            .slice(1)
            .map((windowEnd, i) => ({ startDate: windowBounds[i], endDate: windowEnd }))
        : [],
    timezone,
    paymentTermDays: random() < 0.3 ? null : int(0, 60),
  };

  const within = () => start + Math.floor(random() * (end - start + 30 * DAY)) - 15 * DAY;
  const intervals = Array.from({ length: random() < 0.7 ? 1 : 2 }, (_, i): ScheduleInterval => {
    const [from, to] = [within(), within()].sort((a, b) => a - b);
    const cadence = pick(CADENCES);
    return {
      id: `int_${i}`,
      orderLineItemId: null,
      itemId: null,
      priceId: null,
      description: null,
      baseQuantity: String(int(1, 20)),
      unitPrice: random() < 0.1 ? null : `${int(0, 999)}.${pad(int(0, 9999), 4)}`,
      billingCadence: cadence,
      billingMode: pick(MODES),
      startDate: instantText(from),
      endDate: instantText(to + DAY),
      quantityTransitions: Array.from({ length: random() < 0.6 ? 0 : int(1, 2) }, () => ({
        effectiveDate: instantText(within()),
        quantity: String(int(0, 30)),
      })),
      billDate: cadence === 'one_off' && random() < 0.5 ? instantText(within()) : null,
      usageFilter: null,
      metadata: {},
      createdAt: '2020-01-01T00:00:00Z',
      updatedAt: '2020-01-01T00:00:00Z',
    };
  });
  return { terms, intervals, probe: within() };
}
