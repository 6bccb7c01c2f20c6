import type { ScheduleTerms } from '../billing-schedule/billing-schedule.types';
import { ValidationFailed } from '../domain-error';
import { billingPeriods, computePeriods, validateTerms } from '.';

const base: ScheduleTerms = {
  startDate: '2024-01-01T00:00:00Z',
  endDate: '2024-04-01T00:00:00Z',
  billingAnchor: '2024-01-01T00:00:00Z',
  alignmentPolicy: 'anchor',
  prorationPolicy: 'none',
  periodPreset: 'P1M',
  customPeriodWindows: [],
  timezone: 'UTC',
  paymentTermDays: null,
};

const window = (startDate: string, endDate: string) => ({
  startDate: `${startDate}T00:00:00Z`,
  endDate: `${endDate}T00:00:00Z`,
});
const custom = (...windows: ReturnType<typeof window>[]): ScheduleTerms => ({
  ...base,
  periodPreset: 'custom',
  customPeriodWindows: windows,
});
const fields = (terms: ScheduleTerms) => validateTerms(terms).map((e) => e.field);

describe('validateTerms', () => {
  it.each<[string, ScheduleTerms]>([
    ['grid terms', base],
    ['a non-UTC zone', { ...base, timezone: 'Europe/Berlin' }],
    ['paymentTermDays 0', { ...base, paymentTermDays: 0 }],
    [
      'custom windows that tile the schedule',
      custom(window('2024-01-01', '2024-02-10'), window('2024-02-10', '2024-04-01')),
    ],
    [
      'custom windows written with another offset',
      {
        ...custom(window('2024-01-01', '2024-04-01')),
        customPeriodWindows: [
          { startDate: '2024-01-01T01:00:00+01:00', endDate: '2024-03-31T19:00:00-05:00' },
        ],
      },
    ],
  ])('accepts %s', (_, terms) => {
    expect(validateTerms(terms)).toEqual([]);
  });

  it.each<[string, ScheduleTerms, string[]]>([
    ['endDate = startDate', { ...base, endDate: base.startDate }, ['endDate']],
    ['endDate before startDate', { ...base, endDate: '2023-12-01T00:00:00Z' }, ['endDate']],
    ['an unknown zone', { ...base, timezone: 'Mars/Olympus_Mons' }, ['timezone']],
    ['an unparseable startDate', { ...base, startDate: 'yesterday' }, ['startDate']],
    ['an unparseable billingAnchor', { ...base, billingAnchor: '2024-13-01' }, ['billingAnchor']],
    [
      'an unknown preset',
      { ...base, periodPreset: 'P2M' as ScheduleTerms['periodPreset'] },
      ['periodPreset'],
    ],
    ['negative paymentTermDays', { ...base, paymentTermDays: -1 }, ['paymentTermDays']],
    ['fractional paymentTermDays', { ...base, paymentTermDays: 1.5 }, ['paymentTermDays']],
    [
      'windows with a non-custom preset',
      { ...custom(window('2024-01-01', '2024-04-01')), periodPreset: 'P1M' },
      ['customPeriodWindows'],
    ],
    ['custom without windows', custom(), ['customPeriodWindows']],
    [
      'a first window after startDate',
      custom(window('2024-01-02', '2024-04-01')),
      ['customPeriodWindows[0].startDate'],
    ],
    [
      'a last window before endDate',
      custom(window('2024-01-01', '2024-02-01'), window('2024-02-01', '2024-03-31')),
      ['customPeriodWindows[1].endDate'],
    ],
    [
      'a gap between windows',
      custom(
        window('2024-01-01', '2024-02-01'),
        window('2024-02-02', '2024-03-01'),
        window('2024-03-01', '2024-04-01'),
      ),
      ['customPeriodWindows[1].startDate'],
    ],
    [
      'overlapping windows',
      custom(window('2024-01-01', '2024-02-01'), window('2024-01-15', '2024-04-01')),
      ['customPeriodWindows[1].startDate'],
    ],
    [
      'windows out of order',
      custom(
        window('2024-01-01', '2024-02-01'),
        window('2024-03-01', '2024-04-01'),
        window('2024-02-01', '2024-03-01'),
      ),
      [
        'customPeriodWindows[1].startDate',
        'customPeriodWindows[2].startDate',
        'customPeriodWindows[2].endDate',
      ],
    ],
    [
      'an empty window',
      custom(
        window('2024-01-01', '2024-02-01'),
        window('2024-02-01', '2024-02-01'),
        window('2024-02-01', '2024-04-01'),
      ),
      ['customPeriodWindows[1].endDate'],
    ],
    [
      'an unparseable window date',
      {
        ...custom(window('2024-01-01', '2024-04-01')),
        customPeriodWindows: [{ startDate: 'soon', endDate: base.endDate }],
      },
      ['customPeriodWindows[0].startDate'],
    ],
  ])('rejects %s', (_, terms, expected) => {
    expect(fields(terms)).toEqual(expected);
  });

  it('computePeriods and billingPeriods throw ValidationFailed with the same errors', () => {
    const terms = { ...base, timezone: 'Nowhere/Special' };
    expect(() => computePeriods(terms)).toThrow(ValidationFailed);
    expect(() => billingPeriods(terms, [])).toThrow(ValidationFailed);
    try {
      computePeriods(terms);
    } catch (error) {
      expect((error as ValidationFailed).errors).toEqual(validateTerms(terms));
    }
  });
});

describe('computePeriods over long ranges', () => {
  it('finds the grid from an anchor a century away without walking to it', () => {
    const terms: ScheduleTerms = {
      ...base,
      startDate: '2000-01-01T00:00:00Z',
      endDate: '2050-01-01T00:00:00Z',
      billingAnchor: '1900-01-31T00:00:00Z',
    };
    const started = Date.now();
    const periods = computePeriods(terms);
    expect(Date.now() - started).toBeLessThan(1000);
    // Boundaries on every month-end from Jan 31 2000 to Dec 31 2049: 600 of them, 601 periods.
    expect(periods).toHaveLength(601);
    expect(periods[0]).toEqual({
      index: 0,
      startDate: '2000-01-01T00:00:00Z',
      endDate: '2000-01-31T00:00:00Z',
      isStub: true,
      fullStart: '1999-12-31T00:00:00Z',
      fullEnd: '2000-01-31T00:00:00Z',
    });
    expect(periods[1].endDate).toBe('2000-02-29T00:00:00Z');
    expect(periods[600]).toEqual({
      index: 600,
      startDate: '2049-12-31T00:00:00Z',
      endDate: '2050-01-01T00:00:00Z',
      isStub: true,
      fullStart: '2049-12-31T00:00:00Z',
      fullEnd: '2050-01-31T00:00:00Z',
    });
  });

  it('bills 1000 intervals over 10 years of months', () => {
    const terms: ScheduleTerms = { ...base, endDate: '2034-01-01T00:00:00Z' };
    const intervals = Array.from({ length: 1000 }, (_, i) => ({
      id: `si_${i}`,
      orderLineItemId: null,
      itemId: null,
      priceId: null,
      description: null,
      baseQuantity: '1',
      unitPrice: '1',
      billingCadence: 'P1M',
      billingMode: 'advance' as const,
      startDate: terms.startDate,
      endDate: terms.endDate,
      quantityTransitions: [],
      billDate: null,
      usageFilter: null,
      metadata: {},
      createdAt: terms.startDate,
      updatedAt: terms.startDate,
    }));
    const periods = billingPeriods(terms, intervals);
    expect(periods).toHaveLength(120);
    expect(periods.every((p) => p.amount === '1000.00')).toBe(true);
  });
});

describe('billingPeriods', () => {
  it('rejects an interval with an invalid cadence', () => {
    const interval = {
      id: 'si_1',
      orderLineItemId: null,
      itemId: null,
      priceId: null,
      description: null,
      baseQuantity: '1',
      unitPrice: '1',
      billingCadence: 'PT1H',
      billingMode: 'advance' as const,
      startDate: base.startDate,
      endDate: base.endDate,
      quantityTransitions: [],
      billDate: null,
      usageFilter: null,
      metadata: {},
      createdAt: base.startDate,
      updatedAt: base.startDate,
    };
    expect(() => billingPeriods(base, [interval])).toThrow(ValidationFailed);
  });
});
