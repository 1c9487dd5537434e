import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../harness/hub';

// The web console (apps/console, built into dist/console by `npm run build`, which the e2e tier runs first), served by
// an in-process hub on real PostgreSQL and Redis.

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
});

afterAll(async () => {
  await hub?.close();
});

describe('the web console', () => {
  it('is served at /console/ with a strict CSP (no inline script, no framing), and / redirects there', async () => {
    const root = await fetch(`${hub.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/console/');

    const index = await fetch(`${hub.url}/console/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await index.text();
    expect(html).toContain('<div id="root">');
    // Every script is a bundled file of this origin.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    const script = /<script[^>]*src="([^"]+)"/.exec(html)?.[1];
    expect(script).toMatch(/^\/console\/assets\/.+\.js$/);
    expect((await fetch(`${hub.url}${script}`)).status).toBe(200);

    // A path of the app (its router) answers the app too; the API's own 404s are untouched.
    expect((await fetch(`${hub.url}/console/alerts/some-id`)).status).toBe(200);
    expect((await fetch(`${hub.url}/api/v1/nothing-here`)).status).toBe(404);
  });
});
