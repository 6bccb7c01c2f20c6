export * from './account-schedules.types';
export * from './account-schedules.events';
export * from './account-schedules.commands';
export * from './account-schedules.state';
export { decide as decideAccountSchedules } from './decide';
export { evolve as evolveAccountSchedules, foldAccountSchedules } from './evolve';
export { toUtcDay, toUtcInstant } from './utc-day';
export { ACCOUNT_SCHEDULE_LIMITS } from './validation';
