export * from './event-definitions';
export * from './event-catalog';
export * from './upcasters';
