import { describe, expect, it } from 'vitest';
import { taxiiCredential } from './taxii-credential';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe(taxiiCredential.name, () => {
  it.each([
    [`Basic ${b64('misp:tcn_abc.def')}`, 'tcn_abc.def'],
    [`basic ${b64(':tcn_abc.def')}`, 'tcn_abc.def'],
    [`Basic ${b64('user:with:colons')}`, 'with:colons'],
    ['Bearer tcn_abc.def', 'tcn_abc.def'],
    [`Basic ${b64('no-colon')}`, null],
    [`Basic ${b64('user:')}`, null],
    [`Basic ${b64('user:a b')}`, null],
    ['Basic !!!', null],
    ['Digest x', null],
    [undefined, null],
    [`Basic ${b64(`u:${'k'.repeat(400)}`)}`, null],
  ])('reads %j as %j', (header, expected) => {
    expect(taxiiCredential(header)).toBe(expected);
  });
});
