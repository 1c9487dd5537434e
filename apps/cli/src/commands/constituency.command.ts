import type { ConstituencyInput } from '@tocsin/client';
import type { Command } from 'commander';
import { readFile, stat } from 'node:fs/promises';
import type { CommandContext } from '../context';
import { CliUsageError } from '../errors';
import { shortTime } from '../output/alert-text';
import { safeText } from '../output/colors';
import { renderFields } from '../output/table';
import { orgOrOwn } from './org-ref';

const KINDS = ['countries', 'asns', 'cidrs', 'domains'] as const;
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Reads `{countries?, asns?, cidrs?, domains?}` from a JSON file; errors name the file and the field. */
export async function readConstituencyFile(path: string): Promise<ConstituencyInput> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    throw new CliUsageError(`${path}: no such file`);
  }
  if (info.size > MAX_FILE_BYTES) {
    throw new CliUsageError(`${path}: larger than 64 MiB`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new CliUsageError(`${path} is not JSON: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CliUsageError(`${path}: must be a JSON object {countries, asns, cidrs, domains}`);
  }
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!(KINDS as readonly string[]).includes(k)) {
      throw new CliUsageError(`${path}: /${k} is not one of ${KINDS.join(', ')}`);
    }
    if (!Array.isArray(v)) {
      throw new CliUsageError(`${path}: /${k} must be a list`);
    }
    // AS numbers may be numbers (64500); the hub normalizes every form.
    out[k] = v.map((x, i) => {
      if (typeof x === 'string' || (typeof x === 'number' && k === 'asns')) {
        return String(x);
      }
      throw new CliUsageError(`${path}: /${k}/${i} must be a string`);
    });
  }
  return out;
}

/** `tocsin constituency show|set`. */
export function registerConstituencyCommands(program: Command, ctx: CommandContext): void {
  const cons = program
    .command('constituency')
    .description('what your organisation is responsible for: alerts touching it raise constituency hits');
  const orgHelp = 'organisation id or exact name (default: the key’s own; others need a hub admin key)';

  const show = async (orgId: string, json: boolean) => {
    const { client } = await ctx.client();
    const v = await client.orgs.constituency.get(orgId);
    if (json) {
      await ctx.print(JSON.stringify(v));
      return;
    }
    const list = (xs: readonly string[]) =>
      xs.length === 0 ? '-' : safeText(xs.slice(0, 50).join(', ')) + (xs.length > 50 ? ` … (${xs.length})` : '');
    await ctx.print(
      renderFields(
        [
          ['org', v.orgId],
          ['countries', list(v.countries)],
          ['AS numbers', list(v.asns)],
          ['CIDR blocks', list(v.cidrs)],
          ['domains', list(v.domains)],
          ['version', `${v.version} (${shortTime(v.updatedAt)})`],
        ],
        ctx.outColor,
      ),
    );
  };

  cons
    .command('show')
    .description('the current constituency')
    .option('--org <org>', orgHelp)
    .option('--json', 'as one JSON line')
    .action(async (f: { org?: string; json?: boolean }) => {
      const { client } = await ctx.client();
      await show(await orgOrOwn(client, f.org), f.json === true);
    });

  cons
    .command('set')
    .description('replace the constituency whole from a JSON file {countries, asns, cidrs, domains}')
    .argument(
      '<file>',
      'JSON file, e.g. {"countries":["LU"],"asns":["AS64500"],"cidrs":["203.0.113.0/24"],"domains":["example.lu"]}',
    )
    .option('--org <org>', orgHelp)
    .option('--json', 'the stored constituency as one JSON line')
    .action(async (file: string, f: { org?: string; json?: boolean }) => {
      const body = await readConstituencyFile(file);
      const { client } = await ctx.client();
      const orgId = await orgOrOwn(client, f.org);
      const v = await client.orgs.constituency.set(orgId, body);
      if (f.json === true) {
        await ctx.print(JSON.stringify(v));
        return;
      }
      await ctx.print(
        `constituency version ${v.version}: ${v.countries.length} countries, ${v.asns.length} AS numbers, ${v.cidrs.length} CIDR blocks, ${v.domains.length} domains`,
      );
    });
}
