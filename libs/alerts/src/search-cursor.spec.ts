import { describe, expect, it } from 'vitest';
import { formatSearchCursor, parseSearchCursor } from './search-cursor';

describe(parseSearchCursor.name, () => {
  it('reads back the cursor it formats', () => {
    const c = { at: '2026-12-04T08:15:02.123456Z', id: '3f0c2a9e-0000-4000-8000-000000000001' };
    expect(parseSearchCursor(formatSearchCursor(c))).toEqual(c);
    expect(parseSearchCursor(null)).toBeNull();
  });

  it.each([
    '2026-12-04T08:15:02.123Z_3f0c2a9e-0000-4000-8000-000000000001',
    '0000-01-01T00:00:00.000000Z_3f0c2a9e-0000-4000-8000-000000000001',
    '2026-13-04T08:15:02.123456Z_3f0c2a9e-0000-4000-8000-000000000001',
    '2026-12-04T08:15:02.123456Z_x',
    '',
  ])('refuses %j, naming ?cursor', (cursor) => {
    expect(() => parseSearchCursor(cursor)).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ pointer: '?cursor' })] }),
    );
  });
});
