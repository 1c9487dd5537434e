import { describe, expect, it } from 'vitest';
import { watchCursorPath } from './watch-cursor';

describe('watchCursorPath', () => {
  const c = { url: 'http://h', key: 'tcs_secret_value', profile: 'prod' };

  it('is one file per profile, hub, key and subscription set (in any order)', () => {
    const base = watchCursorPath('/s/tocsin', c, []);
    expect(base).toMatch(/^\/s\/tocsin\/cursors\/prod-[0-9a-f]{16}\.json$/);
    expect(watchCursorPath('/s/tocsin', c, ['b', 'a'])).toBe(watchCursorPath('/s/tocsin', c, ['a', 'b']));
    const others = [
      watchCursorPath('/s/tocsin', c, ['a']),
      watchCursorPath('/s/tocsin', { ...c, key: 'tcs_other' }, []),
      watchCursorPath('/s/tocsin', { ...c, url: 'http://other' }, []),
      watchCursorPath('/s/tocsin', { url: c.url, key: c.key }, []),
    ];
    expect(new Set([base, ...others]).size).toBe(5);
  });

  it('never shows the key in the file name', () => {
    expect(watchCursorPath('/s', c, [])).not.toContain('secret');
  });
});
