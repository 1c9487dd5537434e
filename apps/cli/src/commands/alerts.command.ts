import type { AlertListQuery, AlertPatch } from '@tocsin/client';
import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import type { CommandContext } from '../context';
import { outcomeText, plural, renderAlertDetail, renderAlertTable, shortTime, sourceText } from '../output/alert-text';
import { safeText, severityLabel, statusLabel, tlpLabel } from '../output/colors';
import { renderTable } from '../output/table';
import { CliError } from '../errors';
import { ExitCode } from '../exit-codes';
import { choice, collect, intOption, take } from '../program-helpers';

interface ListFlags {
  status?: string[];
  severity?: string[];
  minSeverity?: string;
  tlp?: string[];
  classification?: string[];
  sourceCountry?: string[];
  since?: string;
  until?: string;
  query?: string;
  limit: number;
  json?: boolean;
}

/** The list filters as the client takes them (README "Finding alerts and indicators"). */
export function listQuery(f: ListFlags): AlertListQuery {
  return {
    ...(f.status ? { status: f.status as AlertListQuery['status'] } : {}),
    ...(f.severity ? { severity: f.severity } : {}),
    ...(f.minSeverity ? { minSeverity: f.minSeverity } : {}),
    ...(f.tlp ? { tlp: f.tlp } : {}),
    ...(f.classification ? { classification: f.classification } : {}),
    ...(f.sourceCountry ? { sourceCountry: f.sourceCountry } : {}),
    ...(f.since ? { since: f.since } : {}),
    ...(f.until ? { until: f.until } : {}),
    ...(f.query ? { q: f.query } : {}),
  };
}

interface UpdateFlags {
  title?: string;
  description?: string;
  severity?: AlertPatch['severity'];
  validUntil?: string;
  json?: boolean;
}

/** The PATCH body from the flags: `--description ''` clears the description, `--valid-until none` the validity. */
export function alertPatch(f: UpdateFlags): AlertPatch {
  const patch: AlertPatch = {
    ...(f.title !== undefined ? { title: f.title } : {}),
    ...(f.description !== undefined ? { description: f.description === '' ? null : f.description } : {}),
    ...(f.severity !== undefined ? { severity: f.severity } : {}),
    ...(f.validUntil !== undefined ? { validUntil: f.validUntil === 'none' ? null : f.validUntil } : {}),
  };
  if (Object.keys(patch).length === 0) {
    throw new CliError(
      'nothing to change',
      ExitCode.usage,
      'give at least one of --title, --description, --severity, --valid-until',
    );
  }
  return patch;
}

/** `tocsin alerts list|show|export|update|revoke|sighting` and `tocsin lookup`. */
export function registerAlertCommands(program: Command, ctx: CommandContext): void {
  const alerts = program.command('alerts').description('list, search, read and export alerts');

  alerts
    .command('list')
    .description('the alerts this key may see, newest first (filters are ANDed; repeated values ORed)')
    .option('--status <status>', 'queued, normalized, pending_review, published, rejected, revoked', collect)
    .option('--severity <severity>', 'low, medium, high, critical', collect)
    .option('--min-severity <severity>', 'this severity and above')
    .option('--tlp <label>', 'TLP labels (amber, TLP:RED, …)', collect)
    .option('--classification <class>', 'RSIT class or class/type', collect)
    .option('--source-country <cc>', 'the submitter’s country (ISO 3166-1 alpha-2)', collect)
    .option('--since <date>', 'submitted at or after (ISO 8601 date or date-time)')
    .option('--until <date>', 'submitted before')
    .option('-q, --query <words>', 'words of the title or description ("a phrase", or, -word)')
    .option('--limit <n>', 'at most this many (1–10000)', intOption(1, 10_000), 50)
    .option('--json', 'one alert per line (NDJSON)')
    .action(async (f: ListFlags) => {
      const { client } = await ctx.client();
      const items = await take(client.alerts.list(listQuery(f)), f.limit);
      if (f.json === true) {
        for (const a of items) {
          await ctx.print(JSON.stringify(a));
        }
        return;
      }
      await ctx.print(items.length === 0 ? 'no alerts' : renderAlertTable(items, ctx.out, ctx.outColor));
    });

  alerts
    .command('show')
    .description('one alert, with the other organisations’ alerts sharing its indicators')
    .argument('<id>', 'alert id')
    .option('--json', 'the alert as one JSON line')
    .action(async (id: string, f: { json?: boolean }) => {
      const { client } = await ctx.client();
      const alert = await client.alerts.get(id);
      await ctx.print(f.json === true ? JSON.stringify(alert) : renderAlertDetail(alert, ctx.out, ctx.outColor));
    });

  alerts
    .command('export')
    .description('an alert as a STIX 2.1 bundle or a MISP event')
    .argument('<id>', 'alert id')
    .requiredOption('--format <format>', 'stix or misp', choice(['stix', 'misp'] as const))
    .option('-o, --output <file>', 'write it to this file (created 0600) instead of stdout')
    .action(async (id: string, f: { format: 'stix' | 'misp'; output?: string }) => {
      const { client } = await ctx.client();
      const doc = await client.alerts.export(id, f.format);
      const text = JSON.stringify(doc, null, 2) + '\n';
      if (f.output !== undefined) {
        await writeFile(f.output, text, { mode: 0o600 });
        ctx.note(`wrote ${f.output}`);
        return;
      }
      await ctx.print(text.trimEnd());
    });

  alerts
    .command('update')
    .description('a new revision of your organisation’s published alert (its recipients get alert-updated)')
    .argument('<id>', 'alert id')
    .option('--title <text>', 'a new title')
    .option('--description <text>', "a new description ('' clears it)")
    .option(
      '--severity <severity>',
      'low, medium, high, critical',
      choice(['low', 'medium', 'high', 'critical'] as const),
    )
    .option('--valid-until <date>', "until when it holds (ISO 8601 date-time), or 'none'")
    .option('--json', 'the alert as one JSON line')
    .action(async (id: string, f: UpdateFlags) => {
      const patch = alertPatch(f);
      const { client } = await ctx.client();
      const alert = await client.alerts.update(id, patch);
      await ctx.print(
        f.json === true
          ? JSON.stringify(alert)
          : `alert ${alert.id}: revision ${alert.revision} · ${severityLabel(ctx.out, alert.severity)} · ${safeText(alert.title)}`,
      );
    });

  alerts
    .command('revoke')
    .description('withdraw your organisation’s alert for good (its recipients get alert-revoked with the reason)')
    .argument('<id>', 'alert id')
    .requiredOption('--reason <text>', 'why (required, shown to the recipients)')
    .option('--json', 'the alert as one JSON line')
    .action(async (id: string, f: { reason: string; json?: boolean }) => {
      const { client } = await ctx.client();
      const alert = await client.alerts.revoke(id, f.reason);
      await ctx.print(f.json === true ? JSON.stringify(alert) : `alert ${alert.id}: ${outcomeText(alert, ctx.out)}`);
    });

  alerts
    .command('sighting')
    .description(
      'report that you saw an alert (or one of its indicators) in your networks, or that it is a false positive',
    )
    .argument('<id>', 'alert id')
    .option('--indicator <value>', 'one indicator of the alert (defanged forms accepted) rather than the whole alert')
    .option('--false-positive', 'a false positive rather than a sighting')
    .option('--json', 'the answer as one JSON line')
    .action(async (id: string, f: { indicator?: string; falsePositive?: boolean; json?: boolean }) => {
      const { client } = await ctx.client();
      const r = await client.alerts.sighting(id, {
        type: f.falsePositive === true ? 'false-positive' : 'sighting',
        ...(f.indicator !== undefined ? { indicator: f.indicator } : {}),
      });
      if (f.json === true) {
        await ctx.print(JSON.stringify(r));
        return;
      }
      const what = r.type === 'false-positive' ? 'false positive' : 'sighting';
      await ctx.print(
        [
          `alert ${r.alertId}: ${r.recorded ? `${what} recorded` : `${what} already reported by your organisation (counted once)`}`,
          `${plural(r.sightingCount, 'sighting')}, ${plural(r.falsePositiveCount, 'false positive')}`,
          `confidence ${r.confidence ?? '-'}`,
          ...(r.indicatorFlaggedFalsePositive
            ? [ctx.out.yellow('indicator now flagged false-positive for everyone')]
            : []),
        ].join(' · '),
      );
    });

  program
    .command('lookup')
    .description('who reported a value: the alerts this key may see that carry it (defanged forms accepted)')
    .argument('<value>', 'an address, domain, URL, hash, CVE, … (hxxp://evil[.]example works)')
    .option('--type <type>', 'the indicator type when it cannot be inferred (ipv4, domain, url, sha256, …)')
    .option('--json', 'the answer as one JSON line')
    .action(async (value: string, f: { type?: string; json?: boolean }) => {
      const { client } = await ctx.client();
      const r = await client.indicators.lookup(value, f.type !== undefined ? { type: f.type } : {});
      if (f.json === true) {
        await ctx.print(JSON.stringify(r));
        return;
      }
      const c = ctx.out;
      await ctx.print(
        `${c.bold(safeText(r.value))} (${safeText(r.type)}): ${r.alertCount} alert${r.alertCount === 1 ? '' : 's'}, first seen ${shortTime(r.firstSeen)}, last seen ${shortTime(r.lastSeen)}`,
      );
      if (r.items.length > 0) {
        await ctx.print(
          renderTable(
            ['alert', 'reported', 'source', 'status', 'severity', 'TLP', 'title', 'warning'],
            r.items.map((i) => [
              i.alertId,
              shortTime(i.reportedAt),
              sourceText(i.source),
              statusLabel(c, i.status),
              severityLabel(c, i.severity),
              tlpLabel(c, i.tlp),
              safeText(i.title).slice(0, 60),
              i.warning ? safeText(JSON.stringify(i.warning)).slice(0, 60) : '',
            ]),
            ctx.outColor,
          ),
        );
      }
      const countries = [...new Set(r.items.map((i) => i.source?.country).filter((x): x is string => !!x))];
      if (countries.length > 0) {
        await ctx.print(`countries: ${safeText(countries.join(', '))}`);
      }
    });
}
