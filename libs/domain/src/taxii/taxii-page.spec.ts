import { describe, expect, it } from 'vitest';
import { STIX_MEDIA_TYPE } from './media-type';
import { taxiiPageAnswer, type TaxiiPage } from './taxii-page';
import { decodeTaxiiNext } from './taxii-query';
import type { TaxiiRow } from './taxii-rows';

const row = (seq: number, dateAdded: bigint, object: Record<string, unknown>): TaxiiRow => ({
  position: { seq, index: 0 },
  alertId: '00000000-0000-4000-8000-000000000001',
  dateAdded,
  id: object.id as string,
  type: object.type as string,
  specVersion: '2.1',
  version: dateAdded,
  firstVersion: true,
  lastVersion: true,
  object: object as TaxiiRow['object'],
});

const sdo = {
  type: 'indicator',
  id: 'indicator--0e4a5a0c-3c55-4b47-8f9b-5a3c4d1e2f10',
  modified: '2026-12-04T10:00:00.123Z',
};
const sco = { type: 'ipv4-addr', id: 'ipv4-addr--8d3c3b3e-6b0a-5c5f-9f3c-1d2e3f4a5b6c', value: '192.0.2.1' };
const page: TaxiiPage = {
  rows: [row(1, 1_796_378_400_000_001n, sdo), row(2, 1_796_378_400_000_009n, sco)],
  more: true,
  next: { seq: 2, index: 1 },
};

describe(taxiiPageAnswer.name, () => {
  it('dates a page by its first and last rows, and gives next only with more', () => {
    const a = taxiiPageAnswer(page, 'objects');
    expect(a.headers).toEqual({
      'X-TAXII-Date-Added-First': '2026-12-04T10:00:00.000001Z',
      'X-TAXII-Date-Added-Last': '2026-12-04T10:00:00.000009Z',
    });
    expect(a.body.more).toBe(true);
    expect(decodeTaxiiNext(a.body.next as string)).toEqual({ seq: 2, index: 1 });
    expect(a.body.objects).toEqual([sdo, sco]);
    expect(taxiiPageAnswer({ ...page, more: false }, 'objects').body).not.toHaveProperty('next');
  });

  it('lists a manifest and versions by modified, or by date_added for an object without one', () => {
    expect(taxiiPageAnswer(page, 'versions').body.versions).toEqual([
      '2026-12-04T10:00:00.123Z',
      '2026-12-04T10:00:00.000009Z',
    ]);
    expect(taxiiPageAnswer(page, 'manifest').body.objects).toEqual([
      { id: sdo.id, date_added: '2026-12-04T10:00:00.000001Z', version: sdo.modified, media_type: STIX_MEDIA_TYPE },
      {
        id: sco.id,
        date_added: '2026-12-04T10:00:00.000009Z',
        version: '2026-12-04T10:00:00.000009Z',
        media_type: STIX_MEDIA_TYPE,
      },
    ]);
  });

  it('answers an empty page with more only, and no date headers', () => {
    expect(taxiiPageAnswer({ rows: [], more: false, next: null }, 'objects')).toEqual({
      headers: {},
      body: { more: false },
    });
  });
});
