import type {
  ScheduleInterval,
  ScheduleTerms,
} from '../../billing-schedule/billing-schedule.types';
import { billingPeriods } from '..';
import * as reference from './amounts';

// Before standard time, zones kept local mean time: offsets of whole seconds such as
// America/New_York's -4:56:02, which luxon reports in fractional minutes. The random
// differential specs draw years 2000-2039; these schedules cross those offsets.
const zones = ['America/New_York', 'Europe/Amsterdam', 'Asia/Kolkata', 'Pacific/Auckland'];

function schedule(timezone: string): [ScheduleTerms, ScheduleInterval[]] {
  const terms: ScheduleTerms = {
    startDate: '1850-01-10T07:13:00Z',
    endDate: '1851-03-01T00:00:00Z',
    billingAnchor: '1850-01-31T00:00:00Z',
    alignmentPolicy: 'anchor',
    prorationPolicy: 'daily',
    periodPreset: 'P1M',
    customPeriodWindows: [],
    timezone,
    paymentTermDays: 10,
  };
  const interval: ScheduleInterval = {
    id: 'si_lmt',
    orderLineItemId: null,
    itemId: null,
    priceId: null,
    description: null,
    baseQuantity: '3',
    unitPrice: '10.01',
    billingCadence: 'P1M',
    billingMode: 'advance',
    quantityTransitions: [{ effectiveDate: '1850-07-04T12:00:00Z', quantity: '7' }],
    billDate: null,
    usageFilter: null,
    metadata: {},
    createdAt: '1850-01-01T00:00:00Z',
    updatedAt: '1850-01-01T00:00:00Z',
    startDate: terms.startDate,
    endDate: terms.endDate,
  };
  return [terms, [interval, { ...interval, id: 'si_days', billingCadence: 'P10D' }]];
}

describe('billing periods in local mean time (offsets of whole seconds)', () => {
  it.each(zones)('%s: equal to the luxon reference, full periods exactly 1', (zone) => {
    const [terms, intervals] = schedule(zone);
    const periods = billingPeriods(terms, intervals);
    expect(periods).toEqual(reference.billingPeriods(terms, intervals));
    expect(periods.slice(1, -1).every((period) => period.prorationFactor === '1')).toBe(true);
  });
});
