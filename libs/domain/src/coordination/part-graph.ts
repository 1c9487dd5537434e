/**
 * Internal helpers shared by correlation and the per-recipient view (not exported from the lib).
 * A "part" is anything with an alert id, an org and correlation keys; a key links parts when parts of ≥ 2
 * distinct orgs hold it. Built for large reports: one pass to index, union-find to group, no per-key sets.
 */

export interface GraphPart {
  readonly alertId: string;
  readonly orgId: string;
  readonly country: string | null;
  readonly reportedAt: Date;
  readonly indicatorKeys: readonly string[];
  readonly cves: readonly string[];
}

/** The key a CVE id is compared as: the same `type:value` key a `cve` indicator has, so the two forms link. */
export function cveKey(cve: string): string {
  return `cve:${cve}`;
}

/** Every correlation key of a part: its indicator keys and its CVEs (as `cve:<id>`), deduplicated. */
export function keysOf(part: GraphPart): Set<string> {
  return new Set([...part.indicatorKeys, ...part.cves.map(cveKey)]);
}

/** One part per alert id (the first wins), in input order. */
export function uniqueParts<P extends GraphPart>(parts: readonly P[]): P[] {
  const seen = new Set<string>();
  const out: P[] = [];
  for (const part of parts) {
    if (!seen.has(part.alertId)) {
      seen.add(part.alertId);
      out.push(part);
    }
  }
  return out;
}

/** For each key, the indexes (ascending, each once) of the parts holding it. */
export type KeyIndex = ReadonlyMap<string, readonly number[]>;

/** Index the keys of parts that are unique by alert id. */
export function indexKeys(parts: readonly GraphPart[]): KeyIndex {
  const index = new Map<string, number[]>();
  const add = (key: string, i: number): void => {
    const holders = index.get(key);
    if (holders === undefined) {
      index.set(key, [i]);
    } else if (holders[holders.length - 1] !== i) {
      // parts are indexed in order, so a key repeated within one part is the last holder.
      holders.push(i);
    }
  };
  parts.forEach((part, i) => {
    for (const key of part.indicatorKeys) {
      add(key, i);
    }
    for (const cve of part.cves) {
      add(cveKey(cve), i);
    }
  });
  return index;
}

/**
 * The keys that link: held, among the parts `counts` accepts, by ≥ 2 distinct orgs, and held by no more than
 * `maxHolders` parts in all (accepted or not).
 */
export function linkingKeys(
  parts: readonly GraphPart[],
  index: KeyIndex,
  counts: (i: number) => boolean,
  maxHolders: number,
): Set<string> {
  const out = new Set<string>();
  for (const [key, holders] of index) {
    if (holders.length > maxHolders) {
      continue;
    }
    let firstOrg: string | undefined;
    for (const i of holders) {
      if (!counts(i)) {
        continue;
      }
      const org = parts[i]!.orgId;
      if (firstOrg === undefined) {
        firstOrg = org;
      } else if (org !== firstOrg) {
        out.add(key);
        break;
      }
    }
  }
  return out;
}

/**
 * Connected components: parts accepted by `counts` are linked when they hold a common key of `linking`
 * (transitively: A–B share x and B–C share y put A, B, C in one component). Parts not accepted stay alone.
 * Returns each part's component representative.
 */
export function components(
  count: number,
  index: KeyIndex,
  linking: ReadonlySet<string>,
  counts: (i: number) => boolean,
): number[] {
  const parent = Array.from({ length: count }, (_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) {
      root = parent[root]!;
    }
    let node = i;
    while (parent[node] !== root) {
      const next = parent[node]!;
      parent[node] = root;
      node = next;
    }
    return root;
  };
  for (const key of linking) {
    let first: number | undefined;
    for (const i of index.get(key) ?? []) {
      if (!counts(i)) {
        continue;
      }
      if (first === undefined) {
        first = find(i);
      } else {
        const other = find(i);
        if (other !== first) {
          parent[other] = first;
        }
      }
    }
  }
  return parent.map((_, i) => find(i));
}

/**
 * The linking keys a component holds. A component is closed under linking keys (every counted holder of one is
 * in the same component), so a linking key belongs to the component of its first counted holder.
 */
export function componentKeys(
  index: KeyIndex,
  linking: ReadonlySet<string>,
  roots: readonly number[],
  counts: (i: number) => boolean,
): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const key of linking) {
    const holder = (index.get(key) ?? []).find(counts);
    if (holder !== undefined) {
      const root = roots[holder]!;
      const keys = out.get(root);
      if (keys === undefined) {
        out.set(root, [key]);
      } else {
        keys.push(key);
      }
    }
  }
  return out;
}

export interface GroupSummary {
  readonly alertIds: readonly string[];
  readonly orgs: readonly string[];
  readonly countries: readonly string[];
  readonly sharedKeys: readonly string[];
  readonly firstReport: Date;
  readonly lastReport: Date;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function sortedStrings(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(byString);
}

/**
 * What a non-empty group of parts amounts to: sorted alert ids, distinct orgs, distinct non-null countries, its
 * shared keys (sorted), and the first and last report (fresh Date objects).
 */
export function summarize(group: readonly GraphPart[], sharedKeys: Iterable<string>): GroupSummary {
  // A loop, not Math.min(...times): a group may hold more parts than the argument limit.
  let first = Infinity;
  let last = -Infinity;
  for (const part of group) {
    const t = part.reportedAt.getTime();
    first = Math.min(first, t);
    last = Math.max(last, t);
  }
  return {
    alertIds: sortedStrings(group.map((p) => p.alertId)),
    orgs: sortedStrings(group.map((p) => p.orgId)),
    countries: sortedStrings(group.flatMap((p) => (p.country === null ? [] : [p.country]))),
    sharedKeys: sortedStrings(sharedKeys),
    firstReport: new Date(first),
    lastReport: new Date(last),
  };
}
