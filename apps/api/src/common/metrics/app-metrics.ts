import { Global, Module } from '@nestjs/common';
import {
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';

/** Every metric the API registers, in one place; inject with `@InjectMetric(NAME)`. */
export const HTTP_DURATION = 'http_request_duration_seconds';
export const EVENTS_APPENDED = 'events_appended_total';
export const RELAY_LAG_EVENTS = 'outbox_relay_lag_events';
export const RELAY_LAG_SECONDS = 'outbox_relay_lag_seconds';
export const TASK_RUNS = 'billing_period_task_runs_total';
export const PERIODS_CLOSED = 'billing_periods_closed_total';
export const RATE_LIMITED = 'rate_limited_requests_total';
export const BROKER_UP = 'broker_up';

const providers = [
  makeHistogramProvider({
    name: HTTP_DURATION,
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  }),
  makeCounterProvider({
    name: EVENTS_APPENDED,
    help: 'Events appended to the event store by this instance, by event type',
    labelNames: ['type'],
  }),
  makeGaugeProvider({
    name: RELAY_LAG_EVENTS,
    help: 'Events committed but not yet published to Kafka (reported by the relay lease holder)',
  }),
  makeGaugeProvider({
    name: RELAY_LAG_SECONDS,
    help: 'Age in seconds of the oldest event not yet published to Kafka (0 when none)',
  }),
  makeCounterProvider({
    name: TASK_RUNS,
    help: 'Billing-period task runs (HTTP and periodic), by outcome',
    labelNames: ['outcome', 'trigger'],
  }),
  makeCounterProvider({
    name: PERIODS_CLOSED,
    help: 'Billing periods closed by the billing-period task (dry runs excluded)',
  }),
  makeCounterProvider({
    name: RATE_LIMITED,
    help: 'Requests answered 429, by reason: tenant (per-tenant rate) or auth (failed authentications per address)',
    labelNames: ['reason'],
  }),
  makeGaugeProvider({
    name: BROKER_UP,
    help: '1 when the Kafka cluster answered the last readiness probe, else 0 (only with KAFKA_BROKERS)',
    labelNames: ['brokers'],
  }),
];

@Global()
@Module({ providers, exports: providers })
export class AppMetricsModule {}
