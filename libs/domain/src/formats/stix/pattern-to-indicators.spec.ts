import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { patternToIndicators, type PatternIndicator } from './pattern-to-indicators';
import { parseStixPattern } from './stix-pattern';

const SHA256 = 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c';
const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

function fromPattern(pattern: string): ReturnType<typeof patternToIndicators> {
  const parsed = parseStixPattern(pattern);
  if (!parsed.ok) {
    throw new Error(`${pattern}: ${parsed.error.message}`);
  }
  return patternToIndicators(parsed.value);
}

const AND_UNSUPPORTED = 'comparisons joined by AND must all hold at once, so none becomes a stand-alone indicator';

describe(patternToIndicators.name, () => {
  it.each<[string, PatternIndicator[]]>([
    ["[ipv4-addr:value = '198.51.100.1']", [{ type: 'ipv4', value: '198.51.100.1' }]],
    ["[ipv4-addr:value = '198.51.100.0/24']", [{ type: 'cidr', value: '198.51.100.0/24' }]],
    ["[ipv6-addr:value = '2001:db8::1']", [{ type: 'ipv6', value: '2001:db8::1' }]],
    ["[ipv6-addr:value = '2001:db8::/32']", [{ type: 'cidr', value: '2001:db8::/32' }]],
    ["[domain-name:value='bbc.tf']", [{ type: 'domain', value: 'bbc.tf' }]],
    ["[url:value = 'http://x4z9arb.cn/4712/']", [{ type: 'url', value: 'http://x4z9arb.cn/4712/' }]],
    ["[email-addr:value = 'phish@example.org']", [{ type: 'email', value: 'phish@example.org' }]],
    ['[autonomous-system:number = 174]', [{ type: 'asn', value: 'AS174' }]],
    ['[autonomous-system:number = +64496]', [{ type: 'asn', value: 'AS64496' }]],
    [`[file:hashes.'SHA-256' = '${SHA256}']`, [{ type: 'sha256', value: SHA256 }]],
    [`[file:hashes.SHA256 = '${SHA256}']`, [{ type: 'sha256', value: SHA256 }]],
    [`[file:hashes.sha256 = '${SHA256}']`, [{ type: 'sha256', value: SHA256 }]],
    [`[file:hashes.SHA-256 = '${SHA256}']`, [{ type: 'sha256', value: SHA256 }]],
    [`[file:hashes.MD5 = '${MD5}']`, [{ type: 'md5', value: MD5 }]],
    [`[file:hashes.'md5' = '${MD5}']`, [{ type: 'md5', value: MD5 }]],
    [
      "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
      [{ type: 'sha1', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' }],
    ],
    [
      "[file:hashes.SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
      [{ type: 'sha1', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' }],
    ],
    ["[file:hashes.'SHA-512' = 'cf83e135']", [{ type: 'sha512', value: 'cf83e135' }]],
    // the importer does not validate values: normalization rejects this one later
    ["[domain-name:value = 'domain autuo.xicp.net']", [{ type: 'domain', value: 'domain autuo.xicp.net' }]],
    // OR inside one observation (poisonivy indicator--… "e.ct.toh.info")
    [
      "[domain-name:value = 'e.ct.toh.info' OR ipv4-addr:value = '101.78.151.179']",
      [
        { type: 'domain', value: 'e.ct.toh.info' },
        { type: 'ipv4', value: '101.78.151.179' },
      ],
    ],
    // OR between observations
    [
      "[ipv4-addr:value = '198.51.100.1'] OR [url:value = 'http://evil.example/']",
      [
        { type: 'ipv4', value: '198.51.100.1' },
        { type: 'url', value: 'http://evil.example/' },
      ],
    ],
    [
      "[domain-name:value IN ('a.example', 'b.example')]",
      [
        { type: 'domain', value: 'a.example' },
        { type: 'domain', value: 'b.example' },
      ],
    ],
    // one file named by two hashes: each identifies it alone
    [
      `[file:hashes.MD5 = '${MD5}' AND file:hashes.'SHA-256' = '${SHA256}']`,
      [
        { type: 'md5', value: MD5 },
        { type: 'sha256', value: SHA256 },
      ],
    ],
    ["[domain-name:value = 'a.example' OR domain-name:value = 'a.example']", [{ type: 'domain', value: 'a.example' }]],
  ])('turns %s into indicators', (pattern, indicators) => {
    expect(fromPattern(pattern)).toEqual({ indicators, unsupported: [] });
  });

  it('turns the multi-term OR pattern of poisonivy into one domain and six IPv4 indicators', () => {
    const pattern =
      "[domain-name:value = 'www.webserver.freetcp.com' OR ipv4-addr:value = '113.10.246.30' OR ipv4-addr:value = '219.90.112.203' OR ipv4-addr:value = '202.65.220.64' OR ipv4-addr:value = '75.126.95.138' OR ipv4-addr:value = '219.90.112.197' OR ipv4-addr:value = '202.65.222.45']";
    expect(fromPattern(pattern)).toEqual({
      indicators: [
        { type: 'domain', value: 'www.webserver.freetcp.com' },
        { type: 'ipv4', value: '113.10.246.30' },
        { type: 'ipv4', value: '219.90.112.203' },
        { type: 'ipv4', value: '202.65.220.64' },
        { type: 'ipv4', value: '75.126.95.138' },
        { type: 'ipv4', value: '219.90.112.197' },
        { type: 'ipv4', value: '202.65.222.45' },
      ],
      unsupported: [],
    });
  });

  it.each<[string, PatternIndicator[], string[]]>([
    [
      "[ipv4-addr:value = '198.51.100.1' AND domain-name:value = 'x.example']",
      [],
      [`ipv4-addr:value = '198.51.100.1' AND domain-name:value = 'x.example': ${AND_UNSUPPORTED}`],
    ],
    [
      `[file:hashes.MD5 = '${MD5}' AND file:name = 'a.exe']`,
      [],
      [`file:hashes.MD5 = '${MD5}' AND file:name = 'a.exe': ${AND_UNSUPPORTED}`],
    ],
    [
      "[ipv4-addr:value = '198.51.100.1'] AND [domain-name:value = 'x.example']",
      [],
      [
        "[ipv4-addr:value = '198.51.100.1'] AND [domain-name:value = 'x.example']: observations joined by AND only match together, so none becomes a stand-alone indicator",
      ],
    ],
    [
      "[url:value = 'http://a.example/'] FOLLOWEDBY [url:value = 'http://b.example/']",
      [],
      [
        "[url:value = 'http://a.example/'] FOLLOWEDBY [url:value = 'http://b.example/']: observations joined by FOLLOWEDBY only match in sequence, so none becomes a stand-alone indicator",
      ],
    ],
    [
      "[ipv4-addr:value = '198.51.100.1'] WITHIN 300 SECONDS",
      [{ type: 'ipv4', value: '198.51.100.1' }],
      ['qualifier WITHIN 300 SECONDS is not applied: the comparisons it qualifies are extracted as plain indicators'],
    ],
    [
      "[domain-name:value = 'x.example'] REPEATS 5 TIMES",
      [{ type: 'domain', value: 'x.example' }],
      ['qualifier REPEATS 5 TIMES is not applied: the comparisons it qualifies are extracted as plain indicators'],
    ],
    [
      "[domain-name:value = 'x.example'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
      [{ type: 'domain', value: 'x.example' }],
      [
        "qualifier START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z' is not applied: the comparisons it qualifies are extracted as plain indicators",
      ],
    ],
    [
      "[file:name = 'CBricksDoc']",
      [],
      ["file:name = 'CBricksDoc': object path file:name is not an indicator type the hub supports"],
    ],
    [
      "[process:name = 'evil.exe' OR x509-certificate:hashes.'SHA-1' = 'ab']",
      [],
      [
        "process:name = 'evil.exe': object path process:name is not an indicator type the hub supports",
        "x509-certificate:hashes.'SHA-1' = 'ab': object path x509-certificate:hashes.'SHA-1' is not an indicator type the hub supports",
      ],
    ],
    [
      "[ipv4-addr:value = '198.51.100.1' OR file:name = 'a.exe']",
      [{ type: 'ipv4', value: '198.51.100.1' }],
      ["file:name = 'a.exe': object path file:name is not an indicator type the hub supports"],
    ],
    [
      "[file:hashes.SSDEEP = '3:a:b']",
      [],
      ['file:hashes.SSDEEP = \'3:a:b\': hash algorithm "SSDEEP" is not supported (MD5, SHA-1, SHA-256, SHA-512 are)'],
    ],
    [
      "[domain-name:value NOT = 'x.example']",
      [],
      ["domain-name:value NOT = 'x.example': a negated comparison (NOT) names no value to watch for"],
    ],
    [
      "[domain-name:value NOT IN ('x.example')]",
      [],
      ["domain-name:value NOT IN ('x.example'): a negated comparison (NOT) names no value to watch for"],
    ],
    [
      "[domain-name:value != 'x.example']",
      [],
      ["domain-name:value != 'x.example': operator != does not name a value; only = and IN do"],
    ],
    [
      "[domain-name:value LIKE '%.example']",
      [],
      ["domain-name:value LIKE '%.example': operator LIKE does not name a value; only = and IN do"],
    ],
    [
      "[url:value MATCHES '^http://evil']",
      [],
      ["url:value MATCHES '^http://evil': operator MATCHES does not name a value; only = and IN do"],
    ],
    [
      "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
      [],
      ["ipv4-addr:value ISSUBSET '198.51.100.0/24': operator ISSUBSET does not name a value; only = and IN do"],
    ],
    [
      '[autonomous-system:number > 100]',
      [],
      ['autonomous-system:number > 100: operator > does not name a value; only = and IN do'],
    ],
    ['[EXISTS file:hashes.MD5]', [], ['EXISTS file:hashes.MD5: an existence test names no value']],
    ['[ipv4-addr:value = 1]', [], ['ipv4-addr:value = 1: only a string literal names a value here (got int)']],
    [
      "[ipv4-addr:value IN ('198.51.100.1', true)]",
      [{ type: 'ipv4', value: '198.51.100.1' }],
      ['ipv4-addr:value = true: only a string literal names a value here (got boolean)'],
    ],
    [
      "[ipv4-addr:refs[0] = 'x']",
      [],
      ["ipv4-addr:refs[0] = 'x': object path ipv4-addr:refs[0] is not an indicator type the hub supports"],
    ],
    [
      "[ipv4-addr:value = '198.51.100.1'] OR ([domain-name:value = 'a.example'] AND [url:value = 'http://a.example/'])",
      [{ type: 'ipv4', value: '198.51.100.1' }],
      [
        "[domain-name:value = 'a.example'] AND [url:value = 'http://a.example/']: observations joined by AND only match together, so none becomes a stand-alone indicator",
      ],
    ],
  ])('reports what %s cannot give', (pattern, indicators, unsupported) => {
    expect(fromPattern(pattern)).toEqual({ indicators, unsupported });
  });

  it('shortens a long unsupported excerpt instead of repeating the whole pattern', () => {
    const terms = Array.from({ length: 50 }, (_, i) => `ipv4-addr:value = '198.51.100.${i}'`);
    const { unsupported } = fromPattern(`[${terms.join(' AND ')}]`);
    expect(unsupported).toHaveLength(1);
    expect(unsupported[0]).toMatch(/^ipv4-addr:value = '198\.51\.100\.0' AND .{100,}…: comparisons joined by AND/);
    expect(unsupported[0]!.length).toBeLessThan(300);
  });

  const SUPPORTED_TERMS = [
    "ipv4-addr:value = '198.51.100.1'",
    "domain-name:value = 'a.example'",
    "file:hashes.MD5 = 'abc'",
  ];
  const UNSUPPORTED_TERMS = ["file:name = 'a.exe'", "url:value LIKE 'http%'", "domain-name:value NOT = 'b.example'"];
  const term = fc.constantFrom(...SUPPORTED_TERMS, ...UNSUPPORTED_TERMS);

  it('accounts for every OR-joined comparison: one indicator per distinct value, one reason per unsupported term', () => {
    const observation = fc.array(term, { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(fc.array(observation, { minLength: 1, maxLength: 4 }), (observations) => {
        const pattern = observations.map((terms) => `[${terms.join(' OR ')}]`).join(' OR ');
        const all = observations.flat();
        const result = fromPattern(pattern);
        expect(result.indicators).toHaveLength(new Set(all.filter((t) => SUPPORTED_TERMS.includes(t))).size);
        expect(result.unsupported).toHaveLength(all.filter((t) => UNSUPPORTED_TERMS.includes(t)).length);
      }),
      { numRuns: 300 },
    );
  });

  it('never returns nothing: any mix of AND, OR and FOLLOWEDBY yields indicators or reasons', () => {
    const observation = fc
      .tuple(fc.array(term, { minLength: 1, maxLength: 4 }), fc.constantFrom(' OR ', ' AND '))
      .map(([terms, op]) => `[${terms.join(op)}]`);
    fc.assert(
      fc.property(
        fc.array(observation, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(' OR ', ' AND ', ' FOLLOWEDBY '),
        (observations, op) => {
          const result = fromPattern(observations.join(op));
          expect(result.indicators.length + result.unsupported.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
