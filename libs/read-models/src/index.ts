export * from './billing-schedules/billing-schedule-read-model.port';
export * from './billing-schedules/in-memory-billing-schedule-read-model';
