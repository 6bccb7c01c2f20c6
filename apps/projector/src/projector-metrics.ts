import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { ConsumerLagReporter } from './consumer-lag';
import type { ProjectorConfig } from './projector-config';

/**
 * The projector has no HTTP API, so its Prometheus metrics (projector_lag_events and the
 * process defaults) are served by a bare listener on PROJECTOR_METRICS_PORT at /metrics.
 */
export class ProjectorMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly registry = new Registry();
  readonly lag: ConsumerLagReporter;
  private server: Server | null = null;

  constructor(private readonly config: ProjectorConfig) {
    collectDefaultMetrics({ register: this.registry });
    this.lag = new ConsumerLagReporter({
      brokers: config.kafkaBrokers,
      topic: config.kafkaTopic,
      groupId: config.groupId,
      registry: this.registry,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.lag.start();
    if (this.config.metricsPort === undefined) return;
    this.server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (text) => response.writeHead(200, { 'Content-Type': this.registry.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(this.config.metricsPort, resolve));
    new Logger('ProjectorMetrics').log(`metrics on :${this.config.metricsPort}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.lag.stop();
    const server = this.server;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
