import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SourceFormat } from '../model/canonical';
import { compileRsit, type MachineTagTaxonomy } from '../model/taxonomies';
import type { Issue } from '../shared/result';
import { importDocument, type SubmittedBody } from './import-document';

const FIXTURES = resolve(__dirname, '../../../../test/fixtures');
const fixture = (p: string): string => readFileSync(resolve(FIXTURES, p), 'utf8');
const RSIT = compileRsit(
  JSON.parse(
    readFileSync(resolve(__dirname, '../../../alerts/data/taxonomies/rsit/machinetag.json'), 'utf8'),
  ) as MachineTagTaxonomy,
);
const limits = { maxIndicators: 100_000, maxRecipients: 10 };

function refused(format: SourceFormat, body: SubmittedBody): Issue[] {
  const r = importDocument(format, body, limits, RSIT);
  if (r.ok) {
    throw new Error(`expected a refusal, got ${r.value.indicators.length} indicators`);
  }
  return r.error;
}

function accepted(format: SourceFormat, body: SubmittedBody): number {
  const r = importDocument(format, body, limits, RSIT);
  if (!r.ok) {
    throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  }
  return r.value.indicators.length;
}

const json = (value: unknown): SubmittedBody => ({ kind: 'json', value });
const text = (value: string): SubmittedBody => ({ kind: 'text', value });

describe('importDocument refusing text PostgreSQL cannot store', () => {
  const stix = JSON.parse(fixture('stix/oasis-indicator-for-malicious-url.json')) as {
    objects: Record<string, unknown>[];
  };
  const misp = JSON.parse(fixture('misp/pymisp-circl-osint-xorist-57c4445b.json')) as {
    Event: { info: string; Attribute: Record<string, unknown>[] };
  };

  it('accepts the clean real samples of every format', () => {
    expect(accepted('stix', json(stix))).toBeGreaterThan(0);
    expect(accepted('misp', json(misp))).toBeGreaterThan(0);
    expect(accepted('csv', text(fixture('csv/urlhaus-shape.csv')))).toBeGreaterThan(0);
    expect(accepted('intelmq', text(fixture('intelmq/c2-feed.events.jsonl')))).toBeGreaterThan(0);
  });

  it.each([
    ['a title', { title: 'Bot\u0000net' }, '/title'],
    ['a description', { description: '\uD800' }, '/description'],
    ['an indicator comment', { indicators: [{ value: '192.0.2.1', comment: 'c2\u0000' }] }, '/indicators/0/comment'],
    ['an indicator value', { indicators: [{ value: '192.0.2.1\u0000' }] }, '/indicators/0/value'],
    ['a sector', { sectors: ['\u0000'] }, '/sectors/0'],
    ['a member name', { 'x\u0000': 1 }, '/x\u0000'],
  ])('refuses native JSON with U+0000 or a lone surrogate in %s, naming it', (_l, patch, pointer) => {
    const issues = refused('native', json({ title: 'x', ...patch }));
    expect(issues.map((i) => i.pointer)).toEqual([pointer]);
  });

  it('refuses a STIX bundle with U+0000 in an indicator name, by its pointer in the bundle', () => {
    const doc = structuredClone(stix);
    const n = doc.objects.findIndex((o) => o.type === 'indicator');
    doc.objects[n]!.name = 'Malicious\u0000 URL';
    expect(refused('stix', json(doc)).map((i) => i.pointer)).toEqual([`/objects/${n}/name`]);
  });

  it('refuses a MISP event with U+0000 in its info and an attribute comment', () => {
    const doc = structuredClone(misp);
    doc.Event.info = 'Xorist\u0000';
    doc.Event.Attribute[1]!.comment = '\uDFFF';
    expect(refused('misp', json(doc)).map((i) => i.pointer)).toEqual(['/Event/info', '/Event/Attribute/1/comment']);
  });

  it('refuses a JSON document sent as text whose escapes decode to U+0000', () => {
    const doc = structuredClone(misp);
    doc.Event.info = 'Xorist\u0000';
    const issues = refused('misp', text(JSON.stringify(doc)));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.detail).toMatch(/U\+0000/);
  });

  it('refuses a CSV cell with U+0000, naming its line', () => {
    const csv = 'type,value\nipv4,192.0.2.1\ndomain,evil\u0000.example\n';
    expect(refused('csv', text(csv))).toEqual([
      { pointer: '/line/3', line: 3, detail: expect.stringMatching(/U\+0000/) },
    ]);
  });

  it('refuses IntelMQ JSON lines with a raw U+0000, naming its line', () => {
    const lines = fixture('intelmq/c2-feed.events.jsonl').trim().split('\n');
    lines[1] = lines[1]!.replace('EXAMPLE-TRANSIT-AS', 'EXAMPLE\u0000');
    expect(refused('intelmq', text(lines.join('\n'))).map((i) => i.line)).toEqual([2]);
  });

  it('refuses IntelMQ JSON lines whose \\u0000 escape names an indicator, naming its line', () => {
    const line = JSON.stringify({ 'classification.type': 'c2-server', 'source.fqdn': 'evil\u0000.example.com' });
    expect(line).toContain('\\u0000');
    const issues = refused('intelmq', text(`${JSON.stringify({ 'source.ip': '192.0.2.1' })}\n${line}\n`));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => i.detail.includes('U+0000'))).toBe(true);
  });

  it('refuses an IntelMQ event sent as parsed JSON with U+0000 in a field', () => {
    const issues = refused('intelmq', json([{ 'source.ip': '192.0.2.1', 'extra.note': '\u0000' }]));
    expect(issues.map((i) => i.pointer)).toEqual(['/0/extra.note']);
  });
});
