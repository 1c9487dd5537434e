import { describe, expect, it } from 'vitest';
import { isTaxiiContentType, negotiateTaxiiMedia } from './media-type';

describe(negotiateTaxiiMedia.name, () => {
  it.each([
    [undefined, false, 'taxii'],
    ['', false, 'taxii'],
    ['application/taxii+json;version=2.1', false, 'taxii'],
    ['application/taxii+json; version="2.1"', false, 'taxii'],
    ['Application/TAXII+JSON', false, 'taxii'],
    ['*/*', false, 'taxii'],
    ['application/*', false, 'taxii'],
    ['text/html, application/taxii+json;version=2.1;q=0.5', false, 'taxii'],
    ['application/stix+json;version=2.1', true, 'stix'],
    ['application/stix+json;version=2.1, application/taxii+json;q=0.1', true, 'stix'],
    ['application/stix+json;version=2.1', false, null],
    ['application/taxii+json;version=2.0', false, null],
    ['application/taxii+json;version=2.1;q=0', false, null],
    ['application/json', false, null],
    ['not a media type', false, null],
    ['application/taxii+json,'.repeat(40), false, null],
    [`application/taxii+json;x=${'a'.repeat(1_000)}`, false, null],
  ])('answers Accept %j (STIX allowed: %s) with %s', (accept, stix, expected) => {
    expect(negotiateTaxiiMedia(accept, stix)).toBe(expected);
  });
});

describe(isTaxiiContentType.name, () => {
  it.each([
    ['application/taxii+json;version=2.1', true],
    ['application/taxii+json', true],
    ['application/taxii+json; version=2.1; charset=utf-8', true],
    ['application/taxii+json;version=2.0', false],
    ['application/json', false],
    ['application/stix+json;version=2.1', false],
    [undefined, false],
    ['application/taxii+json, application/json', false],
  ])('%j is a TAXII envelope type: %s', (ct, expected) => {
    expect(isTaxiiContentType(ct)).toBe(expected);
  });
});
