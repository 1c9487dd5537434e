import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { CliError } from '../errors';
import { ExitCode } from '../exit-codes';
import { shortTime } from '../output/alert-text';
import { safeText } from '../output/colors';
import { renderTable } from '../output/table';
import { intOption } from '../program-helpers';
import { resolveOrgId } from './org-ref';

const TRUST_NAMES = ['suspended', 'provisional', 'member', 'trusted', 'coordinator'];

/** `4 coordinator`. */
export function trustText(level: number): string {
  return `${level} ${TRUST_NAMES[level] ?? ''}`.trim();
}

/** `tocsin orgs list|create|trust`. */
export function registerOrgCommands(program: Command, ctx: CommandContext): void {
  const orgs = program.command('orgs').description('member organisations and their trust levels (hub admins)');

  orgs
    .command('list')
    .description('every organisation (a hub admin), or your own')
    .option('--json', 'one organisation per line (NDJSON)')
    .action(async (f: { json?: boolean }) => {
      const { client } = await ctx.client();
      const rows = [];
      for await (const org of client.orgs.list()) {
        if (f.json === true) {
          await ctx.print(JSON.stringify(org));
        }
        rows.push(org);
      }
      if (f.json !== true) {
        await ctx.print(
          renderTable(
            ['id', 'name', 'country', 'sector', 'trust', 'created'],
            rows.map((o) => [
              o.id,
              safeText(o.name) + (o.isHub ? ' (hub)' : ''),
              safeText(o.country),
              safeText(o.sector ?? ''),
              trustText(o.trustLevel),
              shortTime(o.createdAt),
            ]),
            ctx.outColor,
          ),
        );
      }
    });

  orgs
    .command('create')
    .description('create a member organisation (hub admins)')
    .requiredOption('--name <name>', 'unique name, 1–200 characters')
    .requiredOption('--country <cc>', 'ISO 3166-1 alpha-2 country code (FR)')
    .option('--sector <sector>', 'sector, 1–100 characters')
    .requiredOption('--trust <level>', '0 suspended … 4 coordinator (README "Trust levels")', intOption(0, 4))
    .option('--json', 'the organisation as one JSON line')
    .action(async (f: { name: string; country: string; sector?: string; trust: number; json?: boolean }) => {
      const { client } = await ctx.client();
      const org = await client.orgs.create({
        name: f.name,
        country: f.country,
        ...(f.sector !== undefined ? { sector: f.sector } : {}),
        trustLevel: f.trust,
      });
      await ctx.print(
        f.json === true
          ? JSON.stringify(org)
          : `created ${safeText(org.name)} (${org.country}, trust ${trustText(org.trustLevel)}): ${org.id}`,
      );
    });

  orgs
    .command('update')
    .description('rename an organisation or change its sector (hub admins; recorded in the audit trail)')
    .argument('<org>', 'organisation id or exact name')
    .option('--name <name>', 'a new unique name, 1–200 characters')
    .option('--sector <sector>', "a new sector, 1–100 characters ('' clears it)")
    .requiredOption('--reason <text>', 'why (required, kept in the audit trail)')
    .option('--json', 'the organisation as one JSON line')
    .action(async (ref: string, f: { name?: string; sector?: string; reason: string; json?: boolean }) => {
      if (f.name === undefined && f.sector === undefined) {
        throw new CliError('nothing to change', ExitCode.usage, 'give --name, --sector or both');
      }
      const { client } = await ctx.client();
      const org = await client.orgs.update(await resolveOrgId(client, ref), {
        ...(f.name !== undefined ? { name: f.name } : {}),
        ...(f.sector !== undefined ? { sector: f.sector === '' ? null : f.sector } : {}),
        reason: f.reason,
      });
      await ctx.print(
        f.json === true
          ? JSON.stringify(org)
          : `${org.id}: ${safeText(org.name)}${org.sector ? `, ${safeText(org.sector)}` : ''}`,
      );
    });

  orgs
    .command('trust')
    .description('change an organisation’s trust level (hub admins; recorded in the audit trail)')
    .argument('<org>', 'organisation id or exact name')
    .argument('<level>', '0 suspended, 1 provisional, 2 member, 3 trusted, 4 coordinator', intOption(0, 4))
    .requiredOption('--reason <text>', 'why (required, kept in the audit trail)')
    .option('--json', 'the organisation as one JSON line')
    .action(async (ref: string, level: number, f: { reason: string; json?: boolean }) => {
      const { client } = await ctx.client();
      const org = await client.orgs.setTrust(await resolveOrgId(client, ref), level, f.reason);
      await ctx.print(
        f.json === true ? JSON.stringify(org) : `${safeText(org.name)} is now trust ${trustText(org.trustLevel)}`,
      );
    });
}
