import { httpClient, type HttpCall } from './http';

// No vitest here, and the hub's code only as types: the benches pass the build (dist/), the tests the sources.

type Platform = typeof import('@tocsin/platform');
type Runtime = typeof import('@tocsin/runtime');
type Roles = typeof import('../../apps/hub/src/roles');

/** The hub's code an in-process hub is started with: the sources (under vitest) or the build (in a bench). */
export interface HubCode {
  readonly parseConfig: Platform['parseConfig'];
  readonly startTocsin: Runtime['startTocsin'];
  readonly rolesNamed: Roles['rolesNamed'];
}

export interface InProcessHubOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly adminKey: string;
  readonly roles: Parameters<Roles['rolesNamed']>[0];
  /** Settings over the defaults below (a port of its own, on loopback, silent, polls of 200 ms, no metrics). */
  readonly env?: Record<string, string>;
  /** Bound on each request made through `http`. */
  readonly httpTimeoutMs?: number;
}

export interface InProcessHub {
  readonly running: Awaited<ReturnType<Runtime['startTocsin']>>;
  readonly url: string;
  readonly http: HttpCall;
}

/** Starts Tocsin with some roles in this process, on an existing database and a Redis key prefix. */
export async function startInProcessHub(code: HubCode, opts: InProcessHubOptions): Promise<InProcessHub> {
  const parsed = code.parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    DATABASE_URL: opts.databaseUrl,
    REDIS_URL: opts.redisUrl,
    TOCSIN_REDIS_PREFIX: opts.prefix,
    TOCSIN_BOOTSTRAP_ADMIN_KEY: opts.adminKey,
    TOCSIN_DB_POOL_SIZE: '5',
    TOCSIN_OUTBOX_POLL_MS: '200',
    TOCSIN_GATEWAY_POLL_MS: '200',
    TOCSIN_METRICS: 'false',
    ...opts.env,
  });
  if (!parsed.ok) {
    throw new Error(`hub config: ${parsed.problems.join('; ')}`);
  }
  const engines = {
    databaseUrl: opts.databaseUrl,
    redisUrl: opts.redisUrl,
    started: { embeddedPostgres: false, privateRedis: false },
    stop: () => Promise.resolve(),
  };
  const running = await code.startTocsin(parsed.config, engines, code.rolesNamed(opts.roles));
  const url = `http://127.0.0.1:${running.port}`;
  return { running, url, http: httpClient(url, opts.httpTimeoutMs) };
}
