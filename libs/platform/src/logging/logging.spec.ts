import { describe, expect, it } from 'vitest';
import { loggablePath } from './logging';

describe(loggablePath.name, () => {
  it.each([
    ['/api/v1/alerts?title=secret', '/api/v1/alerts'],
    ['/api/v1/invites/Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6', '/api/v1/invites/[redacted]'],
    ['/api/v1/invites/abc?x=1', '/api/v1/invites/[redacted]'],
    ['/api/v1/orgs/1/users', '/api/v1/orgs/1/users'],
  ])('logs %s as %s', (url, logged) => {
    expect(loggablePath(url)).toBe(logged);
  });
});
