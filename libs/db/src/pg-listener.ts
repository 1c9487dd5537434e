import { Logger } from '@nestjs/common';
import { errorFacts } from '@tocsin/platform';
import { Client } from 'pg';

/**
 * A dedicated connection LISTENing on a channel (NOTIFY is delivered at commit). It reconnects on loss;
 * callers also poll, so a notification missed while reconnecting costs latency, never data.
 */
export class PgListener {
  private client: Client | null = null;
  private closed = false;
  private readonly log = new Logger(PgListener.name);

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onNotify: () => void,
  ) {}

  async start(): Promise<void> {
    if (this.closed) {
      return;
    }
    const c = new Client({ connectionString: this.url, application_name: `tocsin-listen-${this.channel}` });
    c.on('notification', () => this.onNotify());
    c.on('error', (e) => {
      this.log.warn({ channel: this.channel, error: errorFacts(e) }, 'listener connection lost');
      this.restart(c);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${this.channel}`);
      this.client = c;
    } catch (e) {
      this.log.warn({ channel: this.channel, error: errorFacts(e) }, 'listener could not connect');
      this.restart(c);
    }
  }

  private restart(c: Client): void {
    void c.end().catch(() => undefined);
    if (this.client === c) {
      this.client = null;
    }
    if (!this.closed) {
      setTimeout(() => void this.start(), 1_000).unref();
    }
  }

  async stop(): Promise<void> {
    this.closed = true;
    const c = this.client;
    this.client = null;
    if (c) {
      await c.end().catch(() => undefined);
    }
  }
}
