export * from './event-publisher.port';
export * from './in-process-event-bus';
export * from './event-envelope';
export * from './kafka/cloud-event-message';
export * from './kafka/kafka-event-producer';
export * from './outbox/checkpoint-store';
export * from './outbox/outbox-relay';
export * from './kafka/event-topic';
