import { Command, CommanderError } from 'commander';
import { classify } from './classify';
import { registerAlertCommands } from './commands/alerts.command';
import { registerAuditCommand } from './commands/audit.command';
import { registerConfigCommands } from './commands/config.command';
import { registerConstituencyCommands } from './commands/constituency.command';
import { registerCoordinatedCommands } from './commands/coordinated.command';
import { registerKeyCommands } from './commands/keys.command';
import { registerOrgCommands } from './commands/orgs.command';
import { registerReviewCommands } from './commands/review.command';
import { registerSubmitCommand } from './commands/submit.command';
import { registerSubscriptionCommands } from './commands/subscriptions.command';
import { registerUserCommands } from './commands/users.command';
import { registerWatchCommand } from './commands/watch.command';
import type { ConnectionFlags } from './config/resolve-connection';
import { CommandContext, type CliDeps } from './context';
import { EXIT_CODES_HELP, ExitCode } from './exit-codes';
import { renderFailure } from './output/failure';

export const CLI_VERSION = '0.1.0';

const CONFIG_HELP = `Configuration (each setting: flag, else environment, else the config file's profile):
  --url / TOCSIN_URL          the hub, e.g. https://tocsin.example.org
  --key-file / TOCSIN_KEY     the API key (a file holding it, or the key itself in the variable)
  --profile / TOCSIN_PROFILE  a profile of the config file ($TOCSIN_CONFIG, else
                              $XDG_CONFIG_HOME/tocsin/config.json, else ~/.config/tocsin/config.json)
  Set one up with: tocsin config set-profile NAME --url URL --key-file FILE`;

/** The `tocsin` program: every command registered, errors thrown (never process.exit) so runCli decides the code. */
export function buildProgram(deps: CliDeps): { program: Command; ctx: CommandContext } {
  const program = new Command('tocsin');
  const ctx = new CommandContext(deps, () => program.opts<ConnectionFlags>());
  program
    .description('Tocsin threat-alert sharing hub: submit, watch, search and manage alerts from a terminal.')
    .version(CLI_VERSION, '-V, --version')
    .option('--profile <name>', 'use this profile of the config file (default: TOCSIN_PROFILE, then the default one)')
    .option('--url <url>', 'the hub’s base URL (overrides TOCSIN_URL and the profile)')
    .option('--key-file <file>', 'read the API key from this file (overrides TOCSIN_KEY and the profile)')
    .configureOutput({
      writeOut: (s) => deps.io.stdout.write(s),
      writeErr: (s) => deps.io.stderr.write(s),
      outputError: (s, write) => write(`${ctx.err.red(ctx.err.bold('error:'))} ${s.replace(/^error: /, '')}`),
    })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    .addHelpText('afterAll', `\n${CONFIG_HELP}\n\n${EXIT_CODES_HELP}\n`);

  registerConfigCommands(program, ctx);
  registerWatchCommand(program, ctx);
  registerSubmitCommand(program, ctx);
  registerAlertCommands(program, ctx);
  registerReviewCommands(program, ctx);
  registerCoordinatedCommands(program, ctx);
  registerOrgCommands(program, ctx);
  registerKeyCommands(program, ctx);
  registerUserCommands(program, ctx);
  registerSubscriptionCommands(program, ctx);
  registerConstituencyCommands(program, ctx);
  registerAuditCommand(program, ctx);
  return { program, ctx };
}

/** Every command's full name (`alerts list`, …), for help tests and the README. */
export function commandNames(program: Command, prefix = ''): string[] {
  return program.commands.flatMap((c) => {
    const name = `${prefix}${c.name()}`;
    return c.commands.length > 0 ? [name, ...commandNames(c, `${name} `)] : [name];
  });
}

/** Runs the CLI on `argv` (without node and the script) and answers the exit code; never calls process.exit. */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  const { program, ctx } = buildProgram(deps);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has already printed its message (or the help, or the version).
      return e.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    let url: string | undefined;
    try {
      url = (await ctx.connection()).url;
    } catch {
      url = undefined;
    }
    const { exitCode, lines } = renderFailure(classify(e, url), ctx.err);
    for (const line of lines) {
      ctx.note(line);
    }
    return exitCode;
  }
}
