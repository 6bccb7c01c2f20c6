export * from './billing-schedules/billing-schedule-read-model.port';
export * from './billing-schedules/in-memory-billing-schedule-read-model';
export * from './account-schedules/account-schedules-read-model.port';
export * from './account-schedules/in-memory-account-schedules-read-model';
