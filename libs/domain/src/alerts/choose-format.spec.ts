import { describe, expect, it } from 'vitest';
import { chooseFormat } from './choose-format';

describe(chooseFormat.name, () => {
  it.each([
    ['application/json', 'native'],
    ['application/json; charset=utf-8', 'native'],
    ['application/stix+json;version=2.1', 'stix'],
    ['Application/STIX+JSON', 'stix'],
    ['application/misp+json', 'misp'],
    ['text/csv', 'csv'],
    ['text/plain; charset=utf-8', 'csv'],
    ['application/x-ndjson', 'intelmq'],
    ['application/jsonl', 'intelmq'],
  ])('reads %s as %s', (ct, format) => {
    expect(chooseFormat(ct, undefined)).toEqual({ ok: true, value: format });
  });

  it('lets ?format win over the media type', () => {
    expect(chooseFormat('application/json', 'misp')).toEqual({ ok: true, value: 'misp' });
  });

  it.each([['application/xml'], ['multipart/form-data; boundary=x'], [undefined]])('answers 415 for %s', (ct) => {
    const r = chooseFormat(ct, undefined);
    expect(!r.ok && r.error.status).toBe(415);
  });

  it.each([['xml'], [['stix', 'misp']], ['']])('answers 400 naming ?format for %j', (f) => {
    const r = chooseFormat('application/json', f);
    expect(!r.ok && r.error).toMatchObject({ status: 400, pointer: '?format' });
  });
});
