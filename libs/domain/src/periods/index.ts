export {
  computePeriods,
  periodSequence,
  validateTerms,
  type PeriodSequence,
  type SchedulePeriod,
} from './period-engine';
export {
  billingPeriodCalculator,
  billingPeriods,
  InvoiceLineSchema,
  type BillingPeriod,
  type BillingPeriodCalculator,
  type InvoiceLine,
} from './amounts';
export { estimateLines, scheduleLimitErrors, SCHEDULE_LIMITS, type LineEstimate } from './limits';
