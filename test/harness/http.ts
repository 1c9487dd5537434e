/** An HTTP answer: the body parsed when it is JSON, else its text (null when empty). */
export interface HttpResult {
  status: number;
  body: any;
  headers: Headers;
}

/** A request with a bearer key (none when null); an object body is sent as JSON, a string as it is. */
export type HttpCall = (
  method: string,
  path: string,
  key: string | null,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<HttpResult>;

/** What seeding and requests need of a running hub (in-process, a process topology's api, a bench's). */
export interface HttpHub {
  readonly url: string;
  readonly adminKey: string;
  http: HttpCall;
}

/** Requests to `url`, each bounded by `timeoutMs` when given. */
export function httpClient(url: string, timeoutMs?: number): HttpCall {
  return async (method, path, key, body, headers = {}) => {
    const res = await fetch(url + path, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsedBody: unknown = text;
    try {
      parsedBody = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsedBody, headers: res.headers };
  };
}
