import { z } from 'zod';
import { CRASH_POINTS } from '../crash/crash-point-names';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const envFields = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  TOCSIN_DB_POOL_SIZE: int(1, 200).default(10),
  TOCSIN_DB_PREPARED_STATEMENTS: bool.default(true),
  TOCSIN_DATA_DIR: z.string().min(1).default('.data'),
  TOCSIN_EMBEDDED_PG_PORT: int(1, 65535).default(54329),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  TOCSIN_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ and - only (1 to 40)')
    .default('tocsin'),
  TOCSIN_BOOTSTRAP_ADMIN_KEY: z
    .string()
    .regex(
      /^tcs_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/,
      'must look like tcs_<12 letters or digits>_<43 base64url characters>',
    )
    .optional(),
  TOCSIN_HUB_ORG_NAME: z.string().trim().min(1).max(200).default('Tocsin hub'),
  TOCSIN_MAX_BODY_BYTES: int(1024, 1024 * 1024 * 1024).default(64 * 1024 * 1024),
  TOCSIN_MAX_INDICATORS: int(1, 10_000_000).default(100_000),
  TOCSIN_MAX_RECIPIENTS: int(1, 10_000).default(100),
  TOCSIN_MAX_EVENTS_PER_SUBMISSION: int(1, 10_000).default(100),
  TOCSIN_PUSH_CHUNK_SIZE: int(100, 100_000).default(5_000),
  /** An alert with at most this many indicators is normalized, vetted and published by one job (0: never). */
  TOCSIN_ONE_HOP_MAX_INDICATORS: int(0, 100_000).default(1_000),
  /** Most one-hop jobs a worker runs in one transaction (group commit); also its concurrency on that queue. */
  TOCSIN_GROUP_COMMIT_MAX: int(1, 1_000).default(64),
  TOCSIN_PUBLISH_TRUST_LOW: int(1, 5).default(2),
  TOCSIN_PUBLISH_TRUST_HIGH: int(1, 5).default(3),
  TOCSIN_REVIEWER_MIN_TRUST: int(1, 4).default(4),
  TOCSIN_RED_RECIPIENT_MIN_TRUST: int(1, 4).default(3),
  TOCSIN_DEFAULT_ATTRIBUTION: z.enum(['named', 'anonymous']).default('named'),
  TOCSIN_FALSE_POSITIVE_MIN_ORGS: int(1, 100).default(2),
  TOCSIN_CORRELATION_WINDOW_HOURS: int(1, 8_760).default(72),
  TOCSIN_CORRELATION_MAX_ALERTS_PER_KEY: int(2, 100_000).default(20),
  TOCSIN_CORRELATION_MAX_LINK_KEYS: int(1, 10_000).default(200),
  TOCSIN_CORROBORATION_RELEASE_TRUST: int(1, 100).default(3),
  TOCSIN_CORROBORATION_RELEASE_MIN_SUBMITTER_TRUST: int(1, 5).default(2),
  TOCSIN_COORDINATION_MIN_ORGS: int(2, 1_000).default(3),
  TOCSIN_COORDINATION_MIN_COUNTRIES: int(1, 250).default(2),
  TOCSIN_COORDINATION_WINDOW_HOURS: int(1, 8_760).default(72),
  TOCSIN_COORDINATION_MAX_PARTS: int(3, 10_000).default(200),
  TOCSIN_WORKER_CONCURRENCY: int(1, 256).default(8),
  /** A running job's lock in Redis, renewed every half of it; a dead worker's job is free once it lapses. */
  TOCSIN_JOB_LOCK_MS: int(1_000, 600_000).default(3_000),
  /** How often a worker looks for jobs whose lock lapsed (held by a dead worker) and puts them back to wait. */
  TOCSIN_STALLED_CHECK_MS: int(250, 600_000).default(1_000),
  TOCSIN_OUTBOX_POLL_MS: int(50, 60_000).default(1_000),
  /**
   * The api hands a small alert's one-hop job to BullMQ itself right after the commit; its outbox row is due to the
   * relay only this long after, should that hand-over not happen (the api died, Redis was away). 0: the relay sends
   * every job.
   */
  TOCSIN_OUTBOX_DIRECT_GRACE_MS: int(0, 600_000).default(3_000),
  TOCSIN_OUTBOX_BATCH: int(1, 10_000).default(200),
  TOCSIN_RECONCILE_INTERVAL_MS: int(1_000, 3_600_000).default(30_000),
  TOCSIN_RECONCILE_STALE_MS: int(1_000, 86_400_000).default(60_000),
  TOCSIN_GATEWAY_POLL_MS: int(50, 60_000).default(1_000),
  /** How often a gateway rechecks its sockets' keys and sessions (revoked, expired, suspended), in seconds. */
  TOCSIN_SOCKET_RECHECK_SECONDS: int(1, 3_600).default(30),
  TOCSIN_REPLAY_BATCH: int(1, 10_000).default(500),
  TOCSIN_CONSTITUENCY_MAX_ENTRIES: int(1, 1_000_000).default(50_000),
  TOCSIN_CONSTITUENCY_HIT_MAX_INDICATORS: int(1, 1_000_000).default(10_000),
  /** Packets a socket may have waiting for its transport before it is told `lagging` and switched to replay. */
  TOCSIN_SOCKET_MAX_QUEUE: int(1, 1_000_000).default(1_000),
  /** How long acknowledged seqs are gathered before one write to PostgreSQL. */
  TOCSIN_ACK_FLUSH_MS: int(1, 10_000).default(100),
  TOCSIN_RATE_LIMIT_SUBMISSIONS_PER_MINUTE: int(0, 10_000_000).default(6_000),
  TOCSIN_RATE_LIMIT_SUBMISSIONS_BURST: int(0, 10_000_000).default(600),
  TOCSIN_RATE_LIMIT_READS_PER_MINUTE: int(0, 10_000_000).default(60_000),
  TOCSIN_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: int(0, 10_000_000).default(20),
  /** The hub's public address (`https://hub.example`): the origin browsers use, the base of invite links. */
  TOCSIN_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** Hours an invite token stays usable. */
  TOCSIN_INVITE_TTL_HOURS: int(1, 8_760).default(72),
  /** A session unused this many minutes ends. */
  TOCSIN_SESSION_IDLE_MINUTES: int(1, 10_080).default(30),
  /** A session ends this many hours after sign-in, however active. */
  TOCSIN_SESSION_ABSOLUTE_HOURS: int(1, 720).default(12),
  /** `Secure` on the session cookie: auto (when the request came over HTTPS or TOCSIN_PUBLIC_URL is https), true, false. */
  TOCSIN_SESSION_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  /** Failed sign-ins allowed at once per account (e-mail, known or not), then one more per window / this (0: none). */
  TOCSIN_SIGN_IN_FAILURES_PER_ACCOUNT: int(0, 10_000).default(10),
  /** The same per source address. */
  TOCSIN_SIGN_IN_FAILURES_PER_ADDRESS: int(0, 10_000).default(50),
  /** The window, in minutes, over which those failures are forgiven. */
  TOCSIN_SIGN_IN_WINDOW_MINUTES: int(1, 1_440).default(15),
  /** Roles whose users must have a second factor (TOTP), comma-separated, or `none`. */
  TOCSIN_TOTP_REQUIRED_ROLES: z
    .string()
    .default('admin')
    .transform((v) =>
      v.trim() === 'none'
        ? []
        : v
            .split(',')
            .map((r) => r.trim())
            .filter((r) => r !== ''),
    )
    .pipe(
      z.array(
        z.enum(['admin', 'vetter', 'operator', 'reader'], { error: 'each must be admin, vetter, operator or reader' }),
      ),
    ),
  TOCSIN_TRUST_PROXY: z.string().trim().min(1).default('loopback, linklocal, uniquelocal'),
  TOCSIN_METRICS: bool.default(true),
  TOCSIN_SHUTDOWN_TIMEOUT_MS: int(100, 600_000).default(10_000),
  /** Test only: comma-separated crash points (crash-point-names.ts) where the process kills itself. */
  TOCSIN_CRASH_POINTS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== ''),
    )
    .pipe(z.array(z.enum(CRASH_POINTS, { error: `each must be one of: ${CRASH_POINTS.join(', ')}` })).max(16)),
});

/** Every setting Tocsin reads, with its default. Documented in .env.example and the README. */
export const envSchema = envFields.refine((e) => e.NODE_ENV !== 'production' || e.TOCSIN_CRASH_POINTS.length === 0, {
  path: ['TOCSIN_CRASH_POINTS'],
  message: 'crash points are for tests: never armed when NODE_ENV is production',
});

export type Env = z.infer<typeof envSchema>;

/** `TOCSIN_TRUST_PROXY` as Express's `trust proxy` takes it: `true`/`false`, a hop count, or addresses and subnets. */
export function trustProxyValue(setting: string): boolean | number | string {
  if (setting === 'true' || setting === 'false') {
    return setting === 'true';
  }
  return /^\d+$/.test(setting) ? Number(setting) : setting;
}
