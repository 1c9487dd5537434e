import { describe, expect, it } from 'vitest';
import { parseConstituency } from './constituency';

describe(parseConstituency.name, () => {
  it('normalizes every kind: countries upper-cased, AS numbers AS<n>, CIDRs to their network, domains to punycode', () => {
    const r = parseConstituency({
      countries: ['fr', 'BE'],
      asns: [64496, 'as64497', 'AS1.10'],
      cidrs: ['198.51.100.7/24', '2001:DB8::1/32', '192.0.2.1', '::ffff:203.0.113.0/120'],
      domains: ['Example.ORG.', '*.bücher.example', '.gouv.fr', 'fr'],
    });
    expect(r).toEqual({
      ok: true,
      value: {
        countries: ['FR', 'BE'],
        asns: ['AS64496', 'AS64497', 'AS65546'],
        cidrs: ['198.51.100.0/24', '2001:db8::/32', '192.0.2.1/32', '203.0.113.0/24'],
        domains: ['example.org', 'xn--bcher-kva.example', 'gouv.fr', 'fr'],
      },
    });
  });

  it('keeps each entry once after normalization, in first-seen order', () => {
    const r = parseConstituency({ cidrs: ['10.1.0.0/16', '10.1.2.3/16'], domains: ['A.example', 'a.example'] });
    expect(r).toEqual({
      ok: true,
      value: { countries: [], asns: [], cidrs: ['10.1.0.0/16'], domains: ['a.example'] },
    });
  });

  it('accepts an empty body as the empty constituency', () => {
    expect(parseConstituency({})).toEqual({ ok: true, value: { countries: [], asns: [], cidrs: [], domains: [] } });
  });

  it.each([
    [{ cidrs: ['10.0.0.0/8', '10.0.0.0/8', 'nope', '10.0.0.0/33'] }, ['/cidrs/2', '/cidrs/3']],
    [{ domains: ['ok.example', 'bad..example', '1.2.3.4', '-x.example'] }, ['/domains/1', '/domains/2', '/domains/3']],
    [{ asns: ['AS1', 'ASX', -3] }, ['/asns/1', '/asns/2']],
    [{ countries: ['FR', 'XX', 'France'] }, ['/countries/1', '/countries/2']],
    [{ cidrs: 'x' }, ['/cidrs']],
    [{ networks: [] }, ['/networks']],
    [[], ['']],
  ])('refuses %j naming each bad field', (body, pointers) => {
    const r = parseConstituency(body);
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.error.map((i) => i.pointer)).toEqual(pointers);
  });

  it('bounds each kind by its size limit', () => {
    const r = parseConstituency({ domains: ['a.example', 'b.example', 'c.example'] }, 2);
    expect(r).toEqual({ ok: false, error: [{ pointer: '/domains', detail: 'must have at most 2 entries' }] });
  });
});
