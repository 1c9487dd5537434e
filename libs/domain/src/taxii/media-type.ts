/** The TAXII 2.1 media type (TAXII 2.1 §1.6.8), on every TAXII answer. */
export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
/** The STIX 2.1 media type, which a client may also ask for where the answer is STIX content. */
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

/** At most this many characters of an `Accept` or `Content-Type` header are read; longer is refused. */
export const MAX_MEDIA_HEADER_LENGTH = 1_000;
/** At most this many media ranges in an `Accept` header. */
const MAX_MEDIA_RANGES = 32;

/** Which media type an answer is sent as: TAXII's, or STIX's where the client asked for that. */
export type TaxiiMediaChoice = 'taxii' | 'stix';

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly version: string | null;
  readonly q: number;
}

function parseRange(raw: string): MediaRange | null {
  const [essence = '', ...params] = raw.split(';').map((p) => p.trim());
  const m = /^([a-z0-9!#$&^_.+*-]+)\/([a-z0-9!#$&^_.+*-]+)$/i.exec(essence);
  if (!m?.[1] || !m[2]) {
    return null;
  }
  let version: string | null = null;
  let q = 1;
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq < 0) {
      continue;
    }
    const name = p.slice(0, eq).trim().toLowerCase();
    const value = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (name === 'version') {
      version = value;
    } else if (name === 'q') {
      const n = Number(value);
      q = Number.isFinite(n) && n >= 0 && n <= 1 ? n : 0;
    }
  }
  return { type: m[1].toLowerCase(), subtype: m[2].toLowerCase(), version, q };
}

/**
 * The media type to answer with for an `Accept` header (TAXII 2.1 §1.6.8), or null for 406. No header, `*\/*`,
 * `application/*`, and `application/taxii+json` with no version or `version=2.1` accept TAXII's type;
 * `application/stix+json` (no version or 2.1) accepts STIX's where `stixAllowed` (an objects answer). A range
 * with `q=0` refuses. Among acceptable ranges the highest q wins, TAXII on a tie.
 */
export function negotiateTaxiiMedia(accept: string | undefined, stixAllowed: boolean): TaxiiMediaChoice | null {
  if (accept === undefined || accept.trim() === '') {
    return 'taxii';
  }
  if (accept.length > MAX_MEDIA_HEADER_LENGTH) {
    return null;
  }
  const ranges = accept.split(',');
  if (ranges.length > MAX_MEDIA_RANGES) {
    return null;
  }
  let best: { choice: TaxiiMediaChoice; q: number } | null = null;
  const offer = (choice: TaxiiMediaChoice, q: number) => {
    if (q > 0 && (best === null || q > best.q || (q === best.q && choice === 'taxii'))) {
      best = { choice, q };
    }
  };
  for (const raw of ranges) {
    const r = parseRange(raw);
    if (!r) {
      continue;
    }
    const versionOk = r.version === null || r.version === '2.1';
    if ((r.type === '*' && r.subtype === '*') || (r.type === 'application' && r.subtype === '*')) {
      offer('taxii', r.q);
    } else if (r.type === 'application' && r.subtype === 'taxii+json' && versionOk) {
      offer('taxii', r.q);
    } else if (r.type === 'application' && r.subtype === 'stix+json' && versionOk && stixAllowed) {
      offer('stix', r.q);
    }
  }
  return (best as { choice: TaxiiMediaChoice; q: number } | null)?.choice ?? null;
}

/**
 * Whether a request body's `Content-Type` is TAXII's envelope type (TAXII 2.1 §5.5: `application/taxii+json`,
 * version absent or 2.1); anything else is 415.
 */
export function isTaxiiContentType(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType.length > MAX_MEDIA_HEADER_LENGTH || contentType.includes(',')) {
    return false;
  }
  const r = parseRange(contentType);
  return (
    r !== null && r.type === 'application' && r.subtype === 'taxii+json' && (r.version === null || r.version === '2.1')
  );
}
