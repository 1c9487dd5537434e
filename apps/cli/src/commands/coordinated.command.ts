import type { CoordinatedAlertView } from '@tocsin/client';
import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { plural, shortTime, sourceText } from '../output/alert-text';
import { safeText, tlpLabel, type Colors } from '../output/colors';
import { renderFields, renderTable } from '../output/table';
import { choice, intOption, take } from '../program-helpers';

/** The coordinated alerts table of `coordinated list`. */
export function renderCoordinatedTable(items: readonly CoordinatedAlertView[], c: Colors, color: boolean): string {
  return renderTable(
    ['id', 'status', 'TLP', 'organisations', 'countries', 'reports', 'shared', 'last report'],
    items.map((ca) => [
      ca.id,
      safeText(ca.status),
      tlpLabel(c, ca.tlp),
      ca.orgCount,
      safeText(ca.countries.join(', ')),
      ca.reportCount,
      ca.sharedIndicators.length,
      shortTime(ca.lastReport),
    ]),
    color,
  );
}

/** `coordinated show`: the coordinated alert as this key may see it, then its reports. */
export function renderCoordinatedDetail(ca: CoordinatedAlertView, c: Colors, color: boolean): string {
  const shared = ca.sharedIndicators.slice(0, 20).map((v) => safeText(v));
  const fields: [string, string][] = [
    ['id', ca.id],
    ['status', safeText(ca.status)],
    ['TLP', tlpLabel(c, ca.tlp)],
    ['organisations', `${ca.orgCount} in ${safeText(ca.countries.join(', ') || '?')}`],
    ['reports', String(ca.reportCount)],
    ['first report', shortTime(ca.firstReport)],
    ['last report', shortTime(ca.lastReport)],
    [
      'shared indicators',
      `${plural(ca.sharedIndicators.length, 'value')}${shared.length > 0 ? `: ${shared.join(', ')}` : ''}${ca.sharedIndicators.length > shared.length ? ', …' : ''}`,
    ],
  ];
  return (
    renderFields(fields, color) +
    '\n' +
    c.bold(`Reports (${ca.reports.length})`) +
    '\n' +
    renderTable(
      ['alert', 'source', 'reported'],
      ca.reports.map((r) => [r.alertId, sourceText(r.source), shortTime(r.reportedAt)]),
      color,
    )
  );
}

/** `tocsin coordinated list|show|close`: reports of one threat from several organisations and countries. */
export function registerCoordinatedCommands(program: Command, ctx: CommandContext): void {
  const coordinated = program
    .command('coordinated')
    .description('coordinated alerts: one threat reported by several organisations in several countries');

  coordinated
    .command('list')
    .description('the coordinated alerts this key may see (each built from the reports it may see), newest first')
    .option('--status <status>', 'active or closed', choice(['active', 'closed'] as const))
    .option('--limit <n>', 'at most this many (1–10000)', intOption(1, 10_000), 50)
    .option('--json', 'one coordinated alert per line (NDJSON)')
    .action(async (f: { status?: 'active' | 'closed'; limit: number; json?: boolean }) => {
      const { client } = await ctx.client();
      const items = await take(client.coordinated.list(f.status !== undefined ? { status: f.status } : {}), f.limit);
      if (f.json === true) {
        for (const ca of items) {
          await ctx.print(JSON.stringify(ca));
        }
        return;
      }
      await ctx.print(
        items.length === 0 ? 'no coordinated alerts' : renderCoordinatedTable(items, ctx.out, ctx.outColor),
      );
    });

  coordinated
    .command('show')
    .description('one coordinated alert: its organisations, countries, shared indicators and reports')
    .argument('<id>', 'coordinated alert id')
    .option('--json', 'the coordinated alert as one JSON line')
    .action(async (id: string, f: { json?: boolean }) => {
      const { client } = await ctx.client();
      const ca = await client.coordinated.get(id);
      await ctx.print(f.json === true ? JSON.stringify(ca) : renderCoordinatedDetail(ca, ctx.out, ctx.outColor));
    });

  coordinated
    .command('close')
    .description('close a coordinated alert (hub admins and reviewers; its recipients get coordinated-alert-updated)')
    .argument('<id>', 'coordinated alert id')
    .requiredOption('--reason <text>', 'why (required, kept with its closing)')
    .option('--json', 'the coordinated alert as one JSON line')
    .action(async (id: string, f: { reason: string; json?: boolean }) => {
      const { client } = await ctx.client();
      const ca = await client.coordinated.close(id, f.reason);
      await ctx.print(f.json === true ? JSON.stringify(ca) : `coordinated alert ${ca.id}: ${safeText(ca.status)}`);
    });
}
