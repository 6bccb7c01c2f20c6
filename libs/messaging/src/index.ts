export * from './event-publisher.port';
export * from './in-process-event-bus';
export * from './event-envelope';
