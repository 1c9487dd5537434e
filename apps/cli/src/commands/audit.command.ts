import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { shortTime } from '../output/alert-text';
import { safeText } from '../output/colors';
import { renderTable } from '../output/table';
import { intOption, take } from '../program-helpers';
import { resolveOrgId } from './org-ref';

/** `tocsin audit`: the append-only audit trail (hub admins). */
export function registerAuditCommand(program: Command, ctx: CommandContext): void {
  program
    .command('audit')
    .description('the audit trail, newest first: trust and constituency changes, review decisions (hub admins)')
    .option('--org <org>', 'only entries about this organisation (id or exact name)')
    .option('--limit <n>', 'at most this many (1–10000)', intOption(1, 10_000), 50)
    .option('--json', 'one entry per line (NDJSON)')
    .action(async (f: { org?: string; limit: number; json?: boolean }) => {
      const { client } = await ctx.client();
      const query = f.org !== undefined ? { orgId: await resolveOrgId(client, f.org) } : {};
      const entries = await take(client.audit.list(query), f.limit);
      if (f.json === true) {
        for (const e of entries) {
          await ctx.print(JSON.stringify(e));
        }
        return;
      }
      await ctx.print(
        entries.length === 0
          ? 'no entries'
          : renderTable(
              ['at', 'action', 'subject org', 'old', 'new', 'reason', 'by org / key or user'],
              entries.map((e) => [
                shortTime(e.at),
                safeText(e.action),
                e.subjectOrgId ?? '',
                safeText(JSON.stringify(e.oldValue ?? null)),
                safeText(JSON.stringify(e.newValue ?? null)),
                safeText(e.reason ?? ''),
                `${e.actorOrgId ?? ''}\n${e.actorKeyId ?? (e.actorUserId ? `user ${e.actorUserId}` : '')}`,
              ]),
              ctx.outColor,
            ),
      );
    });
}
