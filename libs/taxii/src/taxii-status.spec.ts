import { compileRsit, type AlertStatus } from '@tocsin/domain';
import { describe, expect, it } from 'vitest';
import {
  MAX_STATUS_MESSAGE,
  notesByObject,
  objectVersion,
  readEnvelope,
  refusalOf,
  screenObjects,
  statusResource,
  type EnvelopeObject,
  type StatusObject,
} from './taxii-status';

const NOW = '2026-12-04T10:00:00.000Z';
const limits = { maxIndicators: 1000, maxRecipients: 10 };
const rsit = compileRsit({
  namespace: 'rsit',
  predicates: [{ value: 'malicious-code' }],
  values: [],
});

const indicator = (n: number, pattern = `[ipv4-addr:value = '198.51.100.${n}']`) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  created: '2026-12-01T00:00:00.000Z',
  modified: '2026-12-02T00:00:00.000Z',
  pattern,
  pattern_type: 'stix',
  valid_from: '2026-12-01T00:00:00Z',
});

function read(objects: unknown[]): EnvelopeObject[] {
  const r = readEnvelope({ objects }, NOW);
  if (!r.ok) {
    throw new Error(r.error.detail);
  }
  return r.value;
}

describe('readEnvelope', () => {
  it('reads each object with its id and version', () => {
    const sco = { type: 'ipv4-addr', id: 'ipv4-addr--00000000-0000-5000-8000-000000000001', value: '198.51.100.1' };
    expect(read([indicator(1), sco]).map((o) => [o.id, o.version])).toEqual([
      [indicator(1).id, '2026-12-02T00:00:00.000Z'],
      [sco.id, NOW],
    ]);
  });

  it.each([
    ['not an object', [], 422, ''],
    ['no objects', {}, 422, '/objects'],
    ['empty objects', { objects: [] }, 422, '/objects'],
    ['an entry that is no object', { objects: [1] }, 422, '/objects/0'],
    ['an object without an id', { objects: [{ type: 'indicator' }] }, 422, '/objects/0/id'],
    ['an id that is not a STIX id', { objects: [{ type: 'indicator', id: 'x' }] }, 422, '/objects/0/id'],
    ['a type that is not the id prefix', { objects: [{ ...indicator(1), type: 'malware' }] }, 422, '/objects/0/type'],
  ])('refuses %s, naming where', (_name, body, status, pointer) => {
    const r = readEnvelope(body, NOW);
    expect(r.ok).toBe(false);
    expect(r.ok ? null : [r.error.status, r.error.pointer]).toEqual([status, pointer]);
  });

  it('refuses more objects than the bound with 413', () => {
    const r = readEnvelope({ objects: [indicator(1), indicator(2), indicator(3)] }, NOW, 2);
    expect(r.ok ? null : r.error).toMatchObject({ status: 413, pointer: '/objects' });
  });
});

describe('objectVersion', () => {
  it.each([
    [{ modified: '2026-01-02T00:00:00Z', created: '2026-01-01T00:00:00Z' }, '2026-01-02T00:00:00Z'],
    [{ created: '2026-01-01T00:00:00Z' }, '2026-01-01T00:00:00Z'],
    [{ modified: 'yesterday' }, NOW],
    [{}, NOW],
  ])('versions %j as %s', (value, version) => {
    expect(objectVersion(value, NOW)).toBe(version);
  });
});

describe('refusalOf', () => {
  it('accepts an object the STIX importer reads', () => {
    expect(refusalOf(read([indicator(1)])[0]!, limits, rsit)).toBeNull();
  });

  it('refuses a broken pattern with the importer’s reason, pointing inside the object', () => {
    const message = refusalOf(read([indicator(1, "[ipv4-addr:value = '1.2.3.4'")])[0]!, limits, rsit);
    expect(message).toMatch(/^\/pattern: indicator--\S+ pattern: .* at offset \d+/);
  });

  it('refuses a STIX 2.0 object', () => {
    const { spec_version: _, ...v20 } = indicator(1);
    expect(refusalOf(read([v20])[0]!, limits, rsit)).toContain('STIX 2.0 is not supported');
  });

  it('refuses text PostgreSQL cannot store', () => {
    expect(refusalOf(read([{ ...indicator(1), name: 'a\u0000b' }])[0]!, limits, rsit)).toContain('/name');
  });
});

describe('screenObjects', () => {
  it('refuses exactly the objects refused alone, whether or not the whole bundle reads', () => {
    const good = read([indicator(1), indicator(2)]);
    expect(screenObjects(good, limits, rsit)).toEqual([null, null]);
    const mixed = read([indicator(1), indicator(2, "[ipv4-addr:value = '1.2.3.4'"), indicator(3)]);
    const refusals = screenObjects(mixed, limits, rsit);
    expect(refusals.map((r) => r !== null)).toEqual([false, true, false]);
    expect(refusals[1]).toBe(refusalOf(mixed[1]!, limits, rsit));
  });
});

describe('notesByObject', () => {
  it('gives each accepted object what of it was not used, by its place among the accepted', () => {
    const notes = notesByObject(
      [
        { pointer: '/objects/1/pattern_type', detail: 'sigma is not supported' },
        { pointer: '', detail: 'not about one object' },
        { pointer: '/objects/9/pattern', detail: 'out of range' },
      ],
      2,
    );
    expect([...notes]).toEqual([[1, 'added; not used: /pattern_type: sigma is not supported']]);
  });
});

describe('statusResource', () => {
  const objects: StatusObject[] = [
    { id: 'indicator--a', version: NOW },
    { id: 'indicator--b', version: NOW, note: 'added; not used: /pattern: qualifier' },
    { id: 'indicator--c', version: NOW, refusal: '/pattern: bad' },
  ];
  const record = (status: AlertStatus | null, statusReason: string | null = null) => ({
    id: 'status-1',
    requestTimestamp: new Date(NOW),
    objects,
    alert: status === null ? null : { status, statusReason },
  });

  it.each<[AlertStatus, 'pending' | 'complete', [number, number, number]]>([
    ['queued', 'pending', [0, 1, 2]],
    ['normalized', 'pending', [0, 1, 2]],
    ['published', 'complete', [2, 1, 0]],
    ['pending_review', 'complete', [2, 1, 0]],
    ['revoked', 'complete', [2, 1, 0]],
    ['rejected', 'complete', [0, 3, 0]],
  ])('with the alert %s is %s with [successes, failures, pendings] %j', (alert, status, counts) => {
    const s = statusResource(record(alert, 'duplicate'));
    expect(s.status).toBe(status);
    expect([s.success_count, s.failure_count, s.pending_count]).toEqual(counts);
    expect([s.successes.length, s.failures.length, s.pendings.length]).toEqual(counts);
    expect(s.total_count).toBe(3);
    expect(s.request_timestamp).toBe(NOW);
  });

  it('names the refused object’s reason, the held alert and the unused parts in messages', () => {
    const s = statusResource(record('pending_review'));
    expect(s.failures).toEqual([{ id: 'indicator--c', version: NOW, message: '/pattern: bad' }]);
    expect(s.successes).toEqual([
      { id: 'indicator--a', version: NOW, message: 'held for review before it is shared' },
      {
        id: 'indicator--b',
        version: NOW,
        message: 'held for review before it is shared; added; not used: /pattern: qualifier',
      },
    ]);
  });

  it('says why a rejected alert’s objects failed', () => {
    const s = statusResource(record('rejected', 'rejected in review: a known sinkhole'));
    expect(s.failures[0]).toEqual({
      id: 'indicator--a',
      version: NOW,
      message: 'rejected in review: a known sinkhole',
    });
    expect(statusResource(record('rejected')).failures[0]!.message).toBe('rejected in review');
  });

  it('fails every object when none was accepted', () => {
    const s = statusResource({ ...record(null), objects: [{ id: 'x--1', version: NOW, refusal: 'bad' }] });
    expect(s).toMatchObject({ status: 'complete', failure_count: 1, success_count: 0, pending_count: 0 });
  });

  it('bounds a message', () => {
    const s = statusResource(record('rejected', 'x'.repeat(5000)));
    expect(s.failures[0]!.message!.length).toBe(MAX_STATUS_MESSAGE);
  });
});
