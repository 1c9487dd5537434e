import { describe, expect, it } from 'vitest';
import { parseProblem, parseRetryAfter, TocsinProblem } from './errors';

const headers = (h: Record<string, string> = {}) => new Headers(h);

describe(parseProblem.name, () => {
  it('reads an RFC 9457 document: code from the urn, issues with pointer or line, the request id', () => {
    const p = parseProblem(
      400,
      'Bad Request',
      headers({ 'content-type': 'application/problem+json' }),
      JSON.stringify({
        type: 'urn:tocsin:problem:invalid-body',
        title: 'Invalid input',
        status: 400,
        detail: '2 fields are invalid',
        instance: 'req-1',
        errors: [
          { pointer: '/indicators/3/value', detail: 'not an IPv4 address' },
          { pointer: '', line: 7, detail: 'is not valid JSON' },
        ],
      }),
    );
    expect(p).toBeInstanceOf(TocsinProblem);
    expect(p).toMatchObject({
      status: 400,
      type: 'urn:tocsin:problem:invalid-body',
      code: 'invalid-body',
      title: 'Invalid input',
      detail: '2 fields are invalid',
      instance: 'req-1',
      errors: [
        { pointer: '/indicators/3/value', detail: 'not an IPv4 address' },
        { pointer: '', line: 7, detail: 'is not valid JSON' },
      ],
    });
    expect(p.message).toBe(
      'Invalid input (400 invalid-body): 2 fields are invalid\n  /indicators/3/value: not an IPv4 address\n  line 7: is not valid JSON',
    );
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const p = parseProblem(
      429,
      'Too Many Requests',
      headers({ 'retry-after': '7' }),
      '{"type":"urn:tocsin:problem:rate-limited","title":"Too many requests","status":429}',
    );
    expect(p).toMatchObject({ code: 'rate-limited', retryAfterSeconds: 7 });
    const now = Date.parse('2026-12-01T08:00:00Z');
    expect(parseRetryAfter('Tue, 01 Dec 2026 08:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Tue, 01 Dec 2026 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it.each([
    ['an HTML page of a proxy', 502, 'Bad Gateway', '<html>bad gateway</html>', 'http-502', 'Bad Gateway'],
    ['an empty body', 503, '', '', 'http-503', 'HTTP 503'],
    ['JSON that is not a problem', 500, 'Internal Server Error', '[1,2]', 'http-500', 'Internal Server Error'],
    ['a problem of another urn', 404, 'Not Found', '{"type":"about:blank","title":"Nope"}', 'http-404', 'Nope'],
  ])('still gives a problem for %s', (_name, status, statusText, body, code, title) => {
    const p = parseProblem(status, statusText, headers(), body);
    expect(p).toMatchObject({ status, code, title });
    expect(p.errors).toBeUndefined();
  });

  it('bounds what it keeps of a huge or odd document', () => {
    const p = parseProblem(
      400,
      'Bad Request',
      headers(),
      JSON.stringify({
        type: 'urn:tocsin:problem:invalid-body',
        title: 'x'.repeat(10_000),
        errors: [...Array.from({ length: 5000 }, () => ({ pointer: '/a', detail: 'bad' })), 'junk', null],
      }),
    );
    expect(p.title.length).toBeLessThanOrEqual(2001);
    expect(p.errors).toHaveLength(1000);
    expect(p.message.split('\n')).toHaveLength(7);
  });
});
