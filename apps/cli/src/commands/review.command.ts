import type { AlertView, TocsinClient } from '@tocsin/client';
import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { CliError } from '../errors';
import { ExitCode } from '../exit-codes';
import { outcomeText, renderAlertTable } from '../output/alert-text';
import { intOption, take } from '../program-helpers';

const POLL_MS = 250;

/** Reads the alert until it leaves pending_review (an approved one is being published), or the timeout. */
async function waitWhilePending(client: TocsinClient, id: string, timeoutMs: number): Promise<AlertView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alert = await client.alerts.get(id);
    if (alert.status !== 'pending_review') {
      return alert;
    }
    if (Date.now() > deadline) {
      throw new CliError(
        `alert ${id} was approved but is not published after ${Math.round(timeoutMs / 1000)} s`,
        ExitCode.unavailable,
        'the hub’s pipeline may be busy: check with `tocsin alerts show ID`',
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

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
      .option('--wait', 'after approving, wait until the alert is published')
      .option('--wait-timeout <seconds>', 'how long --wait waits', intOption(1, 3600), 60)
      .option('--json', 'the alert as one JSON line')
      .action(async (id: string, f: { reason: string; wait?: boolean; waitTimeout: number; json?: boolean }) => {
        const { client } = await ctx.client();
        let alert = await client.alerts.review(id, decision, f.reason);
        // Approval publishes through the outbox: the answer may still read pending_review for a moment.
        if (decision === 'approve' && f.wait === true && alert.status === 'pending_review') {
          alert = await waitWhilePending(client, id, f.waitTimeout * 1000);
        }
        const text =
          decision === 'approve' && alert.status === 'pending_review'
            ? `${ctx.out.green('approved')}, being published (--wait waits for it)`
            : outcomeText(alert, ctx.out);
        await ctx.print(f.json === true ? JSON.stringify(alert) : `alert ${alert.id}: ${text}`);
      });
  }
}
