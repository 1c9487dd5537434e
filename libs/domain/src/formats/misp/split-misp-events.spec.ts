import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importMispEvent } from './import-misp';
import { rebaseMispIssue, splitMispEvents } from './split-misp-events';

const FIXTURES = resolve(__dirname, '../../../../../test/fixtures/misp');
const fixture = (name: string): unknown => JSON.parse(readFileSync(resolve(FIXTURES, name), 'utf8')) as unknown;

const event = (info: string) => ({ Event: { info, Attribute: [{ type: 'ip-dst', value: '192.0.2.1' }] } });

describe(splitMispEvents.name, () => {
  it('splits a restSearch answer of several events, each imported alone', () => {
    const parts = splitMispEvents(fixture('misp-stix-test_events_collection_1.json'));
    expect(parts?.map((p) => p.pointer)).toEqual(['/response/0', '/response/1']);
    const imported = parts?.map((p) => importMispEvent(p.document));
    expect(imported?.map((r) => r.ok && r.value.indicators.map((i) => [i.value, i.source]))).toEqual([
      [['AS174', '/Event/Attribute/0']],
      [['circl.lu', '/Event/Attribute/0']],
    ]);
  });

  it('splits a JSON array of wrappers or bare events', () => {
    const bare = { info: 'bare', Attribute: [] };
    expect(splitMispEvents([event('a'), bare, 42])).toEqual([
      { pointer: '/0', document: event('a') },
      { pointer: '/1', document: bare },
      { pointer: '/2', document: 42 },
    ]);
  });

  it.each([
    ['one event', event('a')],
    ['a restSearch answer of one event', { response: [event('a')] }],
    ['a restSearch answer of none', { response: [] }],
    ['an array of one event', [event('a')]],
    ['an empty array', []],
    ['a response object', { response: event('a') }],
    ['not JSON of an event', 'text'],
    ['null', null],
  ])('leaves %s to the one-event importer', (_name, doc) => {
    expect(splitMispEvents(doc)).toBeUndefined();
  });

  it('gives one part per item, in order, whatever the items are', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 2, maxLength: 20 }), fc.boolean(), (items, wrapped) => {
        const parts = splitMispEvents(wrapped ? { response: items } : items);
        expect(parts?.map((p) => p.document)).toEqual(items);
        expect(parts?.map((p) => p.pointer)).toEqual(items.map((_, i) => `${wrapped ? '/response' : ''}/${i}`));
      }),
    );
  });
});

describe(rebaseMispIssue.name, () => {
  it.each([
    ['/Event/Attribute/2', '/response/3', '/response/3/Event/Attribute/2'],
    ['', '/response/3', '/response/3'],
    ['/Attribute/0/value', '/1', '/1/Attribute/0/value'],
  ])('places %j of event %j at %j', (pointer, at, expected) => {
    expect(rebaseMispIssue({ pointer, detail: 'x' }, at)).toEqual({ pointer: expected, detail: 'x' });
  });

  it('points an issue about a query parameter at the event, naming the parameter', () => {
    expect(rebaseMispIssue({ pointer: '?title', detail: 'needs a title' }, '/response/3')).toEqual({
      pointer: '/response/3',
      detail: 'needs a title (?title)',
    });
  });
});
