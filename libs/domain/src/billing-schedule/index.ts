export * from './billing-schedule.types';
export * from './billing-schedule.events';
export * from './billing-schedule.commands';
export * from './billing-schedule.state';
export { decide, attributesOf } from './decide';
export { evolve, foldBillingSchedule } from './evolve';
