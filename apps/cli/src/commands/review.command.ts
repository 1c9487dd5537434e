import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { outcomeText, renderAlertTable } from '../output/alert-text';
import { intOption, take } from '../program-helpers';

/** `tocsin review list|approve|reject`: the four-eyes review queue (vetter keys). */
export function registerReviewCommands(program: Command, ctx: CommandContext): void {
  const review = program
    .command('review')
    .description('the review queue: alerts held for a vetter (of the hub or a coordinator) to approve or reject');

  review
    .command('list')
    .description('alerts waiting for review that this key may decide, oldest first')
    .option('--limit <n>', 'at most this many (1–10000)', intOption(1, 10_000), 50)
    .option('--json', 'one alert per line (NDJSON)')
    .action(async (f: { limit: number; json?: boolean }) => {
      const { client } = await ctx.client();
      const items = await take(client.alerts.list({ status: 'pending_review' }), f.limit);
      if (f.json === true) {
        for (const a of items) {
          await ctx.print(JSON.stringify(a));
        }
        return;
      }
      await ctx.print(items.length === 0 ? 'nothing to review' : renderAlertTable(items, ctx.out, ctx.outColor));
    });

  for (const decision of ['approve', 'reject'] as const) {
    review
      .command(decision)
      .description(
        decision === 'approve'
          ? 'publish a held alert (recorded with your reason)'
          : 'reject a held alert for good (the submitter sees the reason)',
      )
      .argument('<id>', 'alert id')
      .requiredOption('--reason <text>', 'why (required, shown to the submitter)')
      .option('--json', 'the alert as one JSON line')
      .action(async (id: string, f: { reason: string; json?: boolean }) => {
        const { client } = await ctx.client();
        const alert = await client.alerts.review(id, decision, f.reason);
        await ctx.print(f.json === true ? JSON.stringify(alert) : `alert ${alert.id}: ${outcomeText(alert, ctx.out)}`);
      });
  }
}
