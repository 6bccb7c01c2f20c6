export { computePeriods, validateTerms, type SchedulePeriod } from './period-engine';
export { billingPeriods, InvoiceLineSchema, type BillingPeriod, type InvoiceLine } from './amounts';
