import { parseProblem, TocsinConnectionError } from './errors';

export type QueryValue = string | number | boolean | Date | readonly (string | number)[] | null | undefined;
export type Query = Record<string, QueryValue>;

export interface HttpOptions {
  readonly url: string;
  readonly key: string;
  readonly timeoutMs: number;
  readonly userAgent: string;
}

/** A body already encoded: bytes (sent whole) or a stream of them (sent as it is read). */
export interface RawBody {
  readonly contentType: string;
  readonly data: Uint8Array | ReadableStream<Uint8Array>;
  readonly length: number;
}

export interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly query?: Query;
  /** Sent as JSON. */
  readonly json?: unknown;
  readonly raw?: RawBody;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
  /** Health is public: no key is sent. */
  readonly anonymous?: boolean;
  /** Statuses besides 2xx whose body is an answer, not a problem (health's 503). */
  readonly alsoOk?: readonly number[];
  /** Overrides the client's timeout (an upload of a large file). */
  readonly timeoutMs?: number;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** `?a=1&b=x,y`: lists comma-separated, dates as ISO strings, empty values left out. */
export function encodeQuery(query: Query | undefined): string {
  if (!query) {
    return '';
  }
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) {
      continue;
    }
    const value = v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.join(',') : String(v);
    if (Array.isArray(v) && v.length === 0) {
      continue;
    }
    params.append(k, value);
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The part of the client that speaks HTTP: key auth, timeout, JSON, problem details. Holds the key; never shows it. */
export class HttpTransport {
  readonly baseUrl: string;

  constructor(private readonly opts: HttpOptions) {
    this.baseUrl = opts.url.replace(/\/+$/, '');
  }

  async request(spec: RequestSpec): Promise<HttpAnswer> {
    const url = `${this.baseUrl}${spec.path}${encodeQuery(spec.query)}`;
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      'user-agent': this.opts.userAgent,
      ...spec.headers,
    };
    if (!spec.anonymous) {
      headers.authorization = `Bearer ${this.opts.key}`;
    }
    let body: RequestInit['body'];
    if (spec.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(spec.json);
    } else if (spec.raw) {
      headers['content-type'] = spec.raw.contentType;
      headers['content-length'] = String(spec.raw.length);
      body = spec.raw.data as RequestInit['body'];
    }
    const timeoutMs = spec.timeoutMs ?? this.opts.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = spec.signal ? AbortSignal.any([timeout, spec.signal]) : timeout;
    const where = `${spec.method} ${this.baseUrl}${spec.path}`;
    let res: Response;
    let text: string;
    try {
      const init: RequestInit & { duplex?: 'half' } = { method: spec.method, headers, body, signal };
      if (body instanceof ReadableStream) {
        init.duplex = 'half';
      }
      res = await fetch(url, init);
      text = await res.text();
    } catch (e) {
      throw connectionError(e, where, timeout.aborted, timeoutMs, spec.signal);
    }
    if ((res.status < 200 || res.status > 299) && !spec.alsoOk?.includes(res.status)) {
      throw parseProblem(res.status, res.statusText, res.headers, text);
    }
    return { status: res.status, headers: res.headers, body: parseBody(res.headers.get('content-type'), text) };
  }
}

function parseBody(contentType: string | null, text: string): unknown {
  if (text === '') {
    return undefined;
  }
  if (contentType && /json/i.test(contentType)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function connectionError(
  e: unknown,
  where: string,
  timedOut: boolean,
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
): Error {
  if (callerSignal?.aborted) {
    return new TocsinConnectionError(`${where}: aborted`, 'aborted', { cause: e });
  }
  if (timedOut) {
    return new TocsinConnectionError(`${where}: no answer within ${timeoutMs} ms`, 'timeout', { cause: e });
  }
  const cause = (e as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : 'network';
  const detail = typeof cause?.message === 'string' ? cause.message : e instanceof Error ? e.message : String(e);
  return new TocsinConnectionError(`${where}: cannot reach the hub (${code}: ${detail})`, code, { cause: e });
}
