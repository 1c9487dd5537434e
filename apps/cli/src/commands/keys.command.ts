import type { Role } from '@tocsin/client';
import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import type { CommandContext } from '../context';
import { shortTime } from '../output/alert-text';
import { safeText } from '../output/colors';
import { renderTable } from '../output/table';
import { choice } from '../program-helpers';
import { orgOrOwn } from './org-ref';

const ROLES = ['admin', 'vetter', 'operator', 'reader'] as const;

/** `tocsin keys create|list|revoke`. */
export function registerKeyCommands(program: Command, ctx: CommandContext): void {
  const keys = program.command('keys').description('API keys of an organisation (its admins, or a hub admin)');
  const orgHelp = 'organisation id or exact name (default: the key’s own)';

  keys
    .command('create')
    .description('issue a key; its secret is shown this once only')
    .option('--org <org>', orgHelp)
    .requiredOption('--role <role>', ROLES.join(', '), choice(ROLES))
    .option('--label <label>', 'what it is for, 1–100 characters')
    .option('-o, --output <file>', 'write the secret to this new file (0600) instead of printing it')
    .option('--json', 'the key summary (and the secret, unless -o) as one JSON line')
    .action(async (f: { org?: string; role: Role; label?: string; output?: string; json?: boolean }) => {
      const { client } = await ctx.client();
      const orgId = await orgOrOwn(client, f.org);
      const created = await client.orgs.keys.create(orgId, {
        role: f.role,
        ...(f.label !== undefined ? { label: f.label } : {}),
      });
      const { key, ...summary } = created;
      if (f.output !== undefined) {
        await writeFile(f.output, key + '\n', { mode: 0o600, flag: 'wx' });
      }
      if (f.json === true) {
        await ctx.print(JSON.stringify(f.output !== undefined ? summary : created));
        return;
      }
      await ctx.print(`created ${summary.role} key ${summary.id} for organisation ${summary.orgId}`);
      if (f.output !== undefined) {
        await ctx.print(`secret written to ${f.output} (0600)`);
      } else {
        ctx.warn('the secret below is shown this once only: store it now (or use -o FILE next time)');
        await ctx.print(key);
      }
    });

  keys
    .command('list')
    .description('the organisation’s keys (never their secrets)')
    .option('--org <org>', orgHelp)
    .option('--json', 'one key summary per line (NDJSON)')
    .action(async (f: { org?: string; json?: boolean }) => {
      const { client } = await ctx.client();
      const list = await client.orgs.keys.list(await orgOrOwn(client, f.org));
      if (f.json === true) {
        for (const k of list) {
          await ctx.print(JSON.stringify(k));
        }
        return;
      }
      await ctx.print(
        renderTable(
          ['id', 'role', 'label', 'created', 'revoked'],
          list.map((k) => [
            k.id,
            k.role,
            safeText(k.label ?? ''),
            shortTime(k.createdAt),
            k.revokedAt ? shortTime(k.revokedAt) : '',
          ]),
          ctx.outColor,
        ),
      );
    });

  keys
    .command('revoke')
    .description('revoke a key at once (HTTP answers 401, its sockets are cut)')
    .argument('<keyId>', 'the key’s id (from `tocsin keys list`)')
    .option('--org <org>', orgHelp)
    .option('--json', 'the key summary as one JSON line')
    .action(async (keyId: string, f: { org?: string; json?: boolean }) => {
      const { client } = await ctx.client();
      const k = await client.orgs.keys.revoke(await orgOrOwn(client, f.org), keyId);
      await ctx.print(
        f.json === true ? JSON.stringify(k) : `revoked key ${k.id} (${k.role}) at ${shortTime(k.revokedAt)}`,
      );
    });
}
