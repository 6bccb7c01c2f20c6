export { computePeriods, validateTerms, type SchedulePeriod } from './period-engine';
export { billingPeriods, type BillingPeriod, type InvoiceLine } from './amounts';
