import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process; label sets are small and never carry an alert id (STYLE.md §7). */
export class Metrics {
  readonly registry = new Registry();
  readonly jobs = new Counter({
    name: 'tocsin_jobs_total',
    help: 'Jobs processed, by queue and outcome',
    labelNames: ['queue', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly alertsSubmitted = new Counter({
    name: 'tocsin_alerts_submitted_total',
    help: 'Alerts accepted over HTTP',
    registers: [this.registry],
  });
  readonly alertsPublished = new Counter({
    name: 'tocsin_alerts_published_total',
    help: 'Alerts appended to the publish log',
    registers: [this.registry],
  });
  readonly outboxDispatched = new Counter({
    name: 'tocsin_outbox_dispatched_total',
    help: 'Outbox rows relayed into BullMQ',
    registers: [this.registry],
  });
  readonly outboxErrors = new Counter({
    name: 'tocsin_outbox_errors_total',
    help: 'Failed outbox relay attempts (Redis away)',
    registers: [this.registry],
  });
  readonly jobsDispatched = new Counter({
    name: 'tocsin_jobs_dispatched_total',
    help: 'One-hop jobs the api handed to BullMQ itself right after the commit',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly dbQueries = new Counter({
    name: 'tocsin_db_queries_total',
    help: 'Statements sent to PostgreSQL (round trips, BEGIN and COMMIT included), by role (the pool application name)',
    labelNames: ['role'] as const,
    registers: [this.registry],
  });
  readonly socketsConnected = new Gauge({
    name: 'tocsin_sockets_connected',
    help: 'Sockets connected to this gateway',
    registers: [this.registry],
  });
  readonly deliveryLag = new Histogram({
    name: 'tocsin_delivery_lag_seconds',
    help: 'From publication to emission on this gateway',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly eventsEmitted = new Counter({
    name: 'tocsin_events_emitted_total',
    help: 'Socket events emitted, by kind (live, replay, or lagging: a socket switched to replay)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  constructor(collectDefaults: boolean) {
    if (collectDefaults) {
      collectDefaultMetrics({ register: this.registry, prefix: 'tocsin_' });
    }
  }
}
