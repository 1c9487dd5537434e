import {
  detectFormat,
  type AlertView,
  type SourceFormat,
  type SubmitOptions,
  type SubmitAnswer,
  type TocsinClient,
} from '@tocsin/client';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { classify } from '../classify';
import type { CommandContext } from '../context';
import { CliExit, CliUsageError } from '../errors';
import { ExitCode } from '../exit-codes';
import { outcomeText } from '../output/alert-text';
import { safeText } from '../output/colors';
import { renderFailure } from '../output/failure';
import { acceptedText, issuesSummary, type AcceptedLike } from '../output/submit-text';
import { choice, collect, intOption } from '../program-helpers';
import { retryOnceWhenBusy } from '../retry';

const FORMATS = ['native', 'stix', 'misp', 'csv', 'intelmq'] as const;
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
/** Above this the file is not read at all (the hub's own limit, TOCSIN_MAX_BODY_BYTES, is usually lower). */
const MAX_FILE_BYTES = 512 * 1024 * 1024;
/** Uploads from this size show a progress bar (on a terminal only). */
const PROGRESS_FROM_BYTES = 1024 * 1024;

interface SubmitFlags {
  tlp?: string;
  title?: string;
  description?: string;
  severity?: string;
  format?: SourceFormat;
  anonymous?: boolean;
  recipients?: string[];
  wait?: boolean;
  waitTimeout: number;
  json?: boolean;
}

interface FileResult {
  readonly exitCode: ExitCode;
  /** The NDJSON line for --json. */
  readonly json: Record<string, unknown>;
}

function acceptedAlerts(answer: SubmitAnswer): {
  alerts: readonly AcceptedLike[];
  failed: AcceptedLike['unsupported'];
} {
  if ('alerts' in answer) {
    return { alerts: answer.alerts, failed: answer.failed };
  }
  return { alerts: [answer], failed: [] };
}

async function submitFile(
  ctx: CommandContext,
  client: TocsinClient,
  file: string,
  flags: SubmitFlags,
  heading: boolean,
): Promise<FileResult> {
  const c = ctx.out;
  const lines: string[] = heading ? [c.bold(file)] : [];
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    throw new CliUsageError(`${file}: no such file`);
  }
  if (info.size > MAX_FILE_BYTES) {
    throw new CliUsageError(`${file}: larger than 512 MiB`);
  }
  const content = await readFile(file);
  // Decide the format here (a usage error saying why when it cannot be told) so it can be shown before the upload.
  const format = flags.format ?? detectFormat(content, basename(file)).format;
  let bar: SingleBar | undefined;
  const options: SubmitOptions = {
    ...(flags.tlp !== undefined ? { tlp: flags.tlp } : {}),
    ...(flags.title !== undefined ? { title: flags.title } : {}),
    ...(flags.description !== undefined ? { description: flags.description } : {}),
    ...(flags.severity !== undefined ? { severity: flags.severity } : {}),
    ...(flags.anonymous === true ? { attribution: 'anonymous' as const } : {}),
    ...(flags.recipients !== undefined ? { recipients: flags.recipients } : {}),
  };
  if (ctx.deps.io.stderr.isTTY === true && content.byteLength >= PROGRESS_FROM_BYTES) {
    bar = new SingleBar({
      stream: ctx.deps.io.stderr,
      format: `${basename(file)} [{bar}] {percentage}% {value}/{total} bytes`,
      hideCursor: true,
      clearOnComplete: true,
    });
    bar.start(content.byteLength, 0);
    options.onUploadProgress = (sent) => bar?.update(sent);
  }
  let answer: SubmitAnswer;
  try {
    // A retry after a 429/503 sends the same Idempotency-Key: the hub never makes two alerts of one file.
    const idempotencyKey = randomUUID();
    answer = await retryOnceWhenBusy(
      () => client.alerts.submit({ content, fileName: basename(file), format }, { ...options, idempotencyKey }),
      (seconds) => ctx.note(ctx.err.yellow(`${basename(file)}: the hub is busy, retrying in ${seconds} s`)),
    );
  } finally {
    bar?.stop();
  }
  const { alerts, failed } = acceptedAlerts(answer);
  let exitCode: ExitCode = ExitCode.ok;
  const outcomes: AlertView[] = [];
  for (const a of alerts) {
    lines.push(acceptedText(a, c));
    lines.push(...issuesSummary('not used (unsupported)', a.unsupported ?? [], c));
  }
  lines.push(...issuesSummary('events not accepted', failed ?? [], c));
  if (flags.wait === true) {
    for (const a of alerts) {
      const outcome = await client.alerts.waitForOutcome(a.id, { timeoutMs: flags.waitTimeout * 1000 });
      outcomes.push(outcome);
      lines.push(`alert ${a.id}: ${outcomeText(outcome, c)}`);
      if (outcome.status === 'rejected' || outcome.status === 'revoked') {
        exitCode = ExitCode.rejected;
      }
    }
  }
  if (flags.json !== true) {
    for (const line of lines) {
      await ctx.print(line);
    }
  }
  return {
    exitCode,
    json: { file, format, accepted: answer, ...(flags.wait === true ? { outcomes } : {}) },
  };
}

/** `tocsin submit FILE...`. */
export function registerSubmitCommand(program: Command, ctx: CommandContext): void {
  program
    .command('submit')
    .description('submit alert documents (native JSON, STIX 2.1, MISP, CSV or plain lists, IntelMQ), format detected')
    .argument('<file...>', 'one or more documents; each becomes one alert (a MISP list, one per event)')
    .option('--tlp <label>', 'TLP when the document has none: CLEAR, GREEN, AMBER, AMBER+STRICT, RED (default AMBER)')
    .option('--title <title>', 'title when the document has none (CSV, plain lists, IntelMQ)')
    .option('--description <text>', 'description when the document has none')
    .option('--severity <severity>', 'low, medium, high or critical when the document has none', choice(SEVERITIES))
    .option('--format <format>', `force the format: ${FORMATS.join(', ')} (default: detected)`, choice(FORMATS))
    .option('--anonymous', 'recipients see the source’s country and trust band, not the organisation')
    .option('--recipients <ids>', 'organisation ids for TLP:RED (comma-separated or repeated)', collect)
    .option('--wait', 'wait for the outcome: published, held for review, or rejected and why')
    .option('--wait-timeout <seconds>', 'how long --wait waits per alert', intOption(1, 3600), 120)
    .option('--json', 'one JSON line per file: {file, format, accepted, outcomes?}')
    .addHelpText(
      'after',
      `
Exit codes of submit: 0 every file accepted (and, with --wait, published or held for review);
5 a file refused (each problem with its pointer or line); 8 with --wait, an alert rejected;
7 no outcome within --wait-timeout. With several files, each is tried and the first failure's code is kept.

Examples:
  tocsin submit report.stix.json --wait
  tocsin submit feed.csv --title "Feodo C2 list" --tlp GREEN --severity high --wait`,
    )
    .action(async (files: string[], flags: SubmitFlags) => {
      const { client, connection } = await ctx.client();
      let exitCode: ExitCode = ExitCode.ok;
      for (const file of files) {
        try {
          const r = await submitFile(ctx, client, file, flags, files.length > 1 && flags.json !== true);
          if (flags.json === true) {
            await ctx.print(JSON.stringify(r.json));
          }
          if (exitCode === ExitCode.ok) {
            exitCode = r.exitCode;
          }
        } catch (e) {
          const failure = renderFailure(classify(e, connection.url), ctx.err);
          if (failure.lines.length > 0) {
            ctx.note(`${ctx.err.bold(safeText(file))}:`);
          }
          failure.lines.forEach((l) => ctx.note(l));
          if (flags.json === true) {
            await ctx.print(JSON.stringify({ file, error: jsonError(e), exitCode: failure.exitCode }));
          }
          if (exitCode === ExitCode.ok) {
            exitCode = failure.exitCode;
          }
        }
      }
      if (exitCode !== ExitCode.ok) {
        throw new CliExit(exitCode);
      }
    });
}

/** A failure as JSON for --json (a problem's fields, or the message). */
export function jsonError(e: unknown): Record<string, unknown> {
  if (e instanceof Error) {
    const { name, message } = e;
    const extra = Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'stack'));
    return { name, message, ...extra };
  }
  return { message: String(e) };
}
