import { describe, expect, it } from 'vitest';
import { Invalid } from '@tocsin/platform';
import { StorableTextPipe } from './storable-text.pipe';

const pipe = new StorableTextPipe();

function refusal(value: unknown, type: 'body' | 'query', data?: string): Invalid {
  try {
    pipe.transform(value, { type, data });
  } catch (e) {
    if (e instanceof Invalid) {
      return e;
    }
    throw e;
  }
  throw new Error('expected a refusal');
}

describe(StorableTextPipe.name, () => {
  it('passes clean bodies, queries and path parameters through unchanged', () => {
    const body = { title: 'Botnet 🚨', indicators: [{ value: '192.0.2.1' }] };
    expect(pipe.transform(body, { type: 'body' })).toBe(body);
    expect(pipe.transform('type,value\nipv4,192.0.2.1\n', { type: 'body' })).toBe('type,value\nipv4,192.0.2.1\n');
    expect(pipe.transform({ limit: '10' }, { type: 'query' })).toEqual({ limit: '10' });
    expect(pipe.transform('a\u0000', { type: 'param', data: 'id' })).toBe('a\u0000');
  });

  it('refuses a JSON body naming each field by its pointer', () => {
    const e = refusal({ title: 'a\u0000', indicators: [{ value: 'x', comment: '\uD800' }] }, 'body');
    expect(e.code).toBe('invalid-body');
    expect(e.errors.map((i) => i.pointer)).toEqual(['/title', '/indicators/0/comment']);
  });

  it('refuses a text body naming the line', () => {
    const e = refusal('type,value\nipv4,1\u0000\n', 'body');
    expect(e.errors.map((i) => i.line)).toEqual([2]);
  });

  it('names a query parameter as ?name, a repeated one once per value', () => {
    const e = refusal({ title: 'a\u0000', tags: ['x', '\u0000'], 'a/b': '\u0000' }, 'query');
    expect(e.code).toBe('invalid-query');
    expect(e.errors.map((i) => i.pointer)).toEqual(['?title', '?tags', '?a/b']);
  });

  it('names a single query parameter read by name', () => {
    expect(refusal('\u0000', 'query', 'format').errors.map((i) => i.pointer)).toEqual(['?format']);
  });
});
