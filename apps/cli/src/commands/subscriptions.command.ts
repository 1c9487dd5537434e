import type { SubscriptionFilters, SubscriptionInput, SubscriptionView } from '@tocsin/client';
import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { safeText } from '../output/colors';
import { renderFields, renderTable } from '../output/table';
import { collect } from '../program-helpers';

interface FilterFlags {
  name?: string;
  minSeverity?: string;
  tlp?: string[];
  classification?: string[];
  indicatorType?: string[];
  sector?: string[];
  country?: string[];
  sourceCountry?: string[];
  coordinatedOnly?: boolean;
  json?: boolean;
}

function withFilterOptions(cmd: Command): Command {
  return cmd
    .option('--name <name>', 'a name for it')
    .option('--min-severity <severity>', 'this severity and above')
    .option('--tlp <label>', 'TLP labels (repeat)', collect)
    .option('--classification <class>', 'RSIT class or class/type (repeat)', collect)
    .option('--indicator-type <type>', 'alerts carrying this indicator type (repeat)', collect)
    .option('--sector <sector>', 'targeted sector (repeat)', collect)
    .option('--country <cc>', 'targeted country (repeat)', collect)
    .option('--source-country <cc>', 'submitter’s country (repeat)', collect)
    .option('--coordinated-only', 'only coordinated alerts')
    .option('--json', 'the subscription as one JSON line');
}

/** The body of create/update from the flags (filters whole: update replaces them). */
export function subscriptionInput(f: FilterFlags): SubscriptionInput {
  const filters: SubscriptionFilters = {
    ...(f.minSeverity !== undefined ? { minSeverity: f.minSeverity } : {}),
    ...(f.tlp ? { tlp: f.tlp } : {}),
    ...(f.classification ? { classifications: f.classification } : {}),
    ...(f.indicatorType ? { indicatorTypes: f.indicatorType } : {}),
    ...(f.sector ? { sectors: f.sector } : {}),
    ...(f.country ? { countries: f.country } : {}),
    ...(f.sourceCountry ? { sourceCountries: f.sourceCountry } : {}),
    ...(f.coordinatedOnly === true ? { coordinatedOnly: true } : {}),
  };
  return { ...(f.name !== undefined ? { name: f.name } : {}), filters };
}

function filtersText(s: SubscriptionView): string {
  return safeText(JSON.stringify(s.filters ?? {}));
}

function detail(s: SubscriptionView, color: boolean): string {
  return renderFields(
    [
      ['id', s.id],
      ['name', safeText(s.name ?? '')],
      ['filters', filtersText(s)],
      ['acked seq', String(s.ackedSeq ?? '-')],
    ],
    color,
  );
}

/** `tocsin subscriptions list|create|show|update|delete`. */
export function registerSubscriptionCommands(program: Command, ctx: CommandContext): void {
  const subs = program
    .command('subscriptions')
    .description('server-side subscriptions: filters and a cursor the hub keeps (use with `watch --subscription`)');

  subs
    .command('list')
    .description('your organisation’s subscriptions')
    .option('--json', 'one subscription per line (NDJSON)')
    .action(async (f: { json?: boolean }) => {
      const { client } = await ctx.client();
      const list = await client.subscriptions.list();
      if (f.json === true) {
        for (const s of list) {
          await ctx.print(JSON.stringify(s));
        }
        return;
      }
      await ctx.print(
        renderTable(
          ['id', 'name', 'filters', 'acked seq'],
          list.map((s) => [s.id, safeText(s.name ?? ''), filtersText(s), s.ackedSeq ?? '-']),
          ctx.outColor,
        ),
      );
    });

  withFilterOptions(subs.command('create').description('a new subscription (no filter: everything)')).action(
    async (f: FilterFlags) => {
      const { client } = await ctx.client();
      const s = await client.subscriptions.create(subscriptionInput(f));
      await ctx.print(f.json === true ? JSON.stringify(s) : detail(s, ctx.outColor));
    },
  );

  subs
    .command('show')
    .description('one subscription')
    .argument('<id>', 'subscription id')
    .option('--json', 'as one JSON line')
    .action(async (id: string, f: { json?: boolean }) => {
      const { client } = await ctx.client();
      const s = await client.subscriptions.get(id);
      await ctx.print(f.json === true ? JSON.stringify(s) : detail(s, ctx.outColor));
    });

  withFilterOptions(
    subs
      .command('update')
      .description('rename it and replace its filters whole (what is not given is dropped)')
      .argument('<id>', 'subscription id'),
  ).action(async (id: string, f: FilterFlags) => {
    const { client } = await ctx.client();
    const s = await client.subscriptions.update(id, subscriptionInput(f));
    await ctx.print(f.json === true ? JSON.stringify(s) : detail(s, ctx.outColor));
  });

  subs
    .command('delete')
    .description('delete a subscription')
    .argument('<id>', 'subscription id')
    .action(async (id: string) => {
      const { client } = await ctx.client();
      await client.subscriptions.delete(id);
      await ctx.print(`deleted subscription ${id}`);
    });
}
