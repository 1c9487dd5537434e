import { describe, expect, it } from 'vitest';
import { parseIndicatorQuery } from './indicator-query';

const parsed = (q: Record<string, unknown>) => {
  const r = parseIndicatorQuery(q);
  if (!r.ok) {
    throw new Error(JSON.stringify(r.error));
  }
  return r.value;
};

const issues = (q: Record<string, unknown>) => {
  const r = parseIndicatorQuery(q);
  return r.ok ? [] : r.error;
};

describe(parseIndicatorQuery.name, () => {
  it('reads no parameter as submission order, unfiltered', () => {
    expect(parsed({ limit: '5', cursor: '7' })).toEqual({
      sort: 'position',
      descending: false,
      types: null,
      text: null,
      actionable: null,
      flags: null,
    });
  });

  it('reads a sort, an order and every filter', () => {
    expect(
      parsed({ sort: 'value', order: 'desc', type: 'IPv4, domain,ipv4', q: '  Example ', actionable: 'false' }),
    ).toEqual({
      sort: 'value',
      descending: true,
      types: ['ipv4', 'domain'],
      text: 'Example',
      actionable: false,
      flags: null,
    });
    expect(parsed({ flag: ['refanged', 'false-positive'], sort: 'type' })).toMatchObject({
      sort: 'type',
      flags: ['refanged', 'false-positive'],
    });
  });

  it.each([
    [{ sort: 'title' }, '?sort', 'must be one of position, type, value'],
    [{ sort: ['type', 'value'] }, '?sort', 'must be one of position, type, value'],
    [{ order: 'up' }, '?order', 'must be asc or desc'],
    [{ type: 'ipv5' }, '?type', 'not "ipv5"'],
    [{ type: 'ipv4,' }, '?type', 'must be indicator types'],
    [{ flag: 'shiny' }, '?flag', 'not "shiny"'],
    [{ actionable: 'yes' }, '?actionable', 'must be true or false'],
    [{ q: '   ' }, '?q', 'must be text of 1 to 200 characters'],
    [{ q: 'x'.repeat(201) }, '?q', 'must be text of 1 to 200 characters'],
    [{ q: 'a\u0000b' }, '?q', 'without control characters'],
    [{ q: ['a', 'b'] }, '?q', 'must be text'],
    [{ value: 'x' }, '?value', 'is not a parameter of this list'],
  ])('refuses %j, naming %s', (q, pointer, detail) => {
    const found = issues(q);
    expect(found).toHaveLength(1);
    expect(found[0]?.pointer).toBe(pointer);
    expect(found[0]?.detail).toContain(detail);
  });

  it('names every bad parameter at once', () => {
    expect(issues({ sort: 'x', order: 'y', actionable: '1' }).map((i) => i.pointer)).toEqual([
      '?sort',
      '?order',
      '?actionable',
    ]);
  });
});
