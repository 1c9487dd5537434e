import type { Command } from 'commander';
import { isAbsolute, resolve } from 'node:path';
import { PROFILE_NAME, readableByOthers, saveConfigFile, type ConfigFile, type Profile } from '../config/config-file';
import { checkUrl, chooseProfile, readKeyFile } from '../config/resolve-connection';
import type { CommandContext } from '../context';
import { CliUsageError } from '../errors';
import { renderTable } from '../output/table';

const MAX_STDIN_KEY = 4096;

async function readStdinKey(ctx: CommandContext): Promise<string> {
  let text = '';
  for await (const chunk of ctx.deps.io.stdin) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.length > MAX_STDIN_KEY) {
      throw new CliUsageError('--key-stdin: more than 4 KiB on standard input: is it the key?');
    }
  }
  const key = text.split(/\r?\n/)[0]?.trim() ?? '';
  if (key === '') {
    throw new CliUsageError(
      '--key-stdin: nothing on standard input',
      'e.g. `pass tocsin/prod | tocsin config set-profile prod --url URL --key-stdin`',
    );
  }
  return key;
}

interface SetProfileOptions {
  url?: string;
  keyFile?: string;
  keyStdin?: boolean;
  default?: boolean;
}

/** `tocsin config set-profile` and `tocsin config show`. */
export function registerConfigCommands(program: Command, ctx: CommandContext): void {
  const config = program.command('config').description('profiles (one per hub) in the config file');

  config
    .command('set-profile')
    .description('create or replace a profile: its hub URL and where its key is (the file is written 0600)')
    .argument('<name>', 'profile name (letters, digits, . _ -)')
    // --url and --key-file are the global options (commander reads them wherever they stand): taken from there.
    .option('--url <url>', 'the hub’s base URL (required)')
    .option('--key-file <file>', 'a file holding the API key (its path is stored, not the key)')
    .option('--key-stdin', 'read the key from standard input and store it in the config file (0600)')
    .option('--default', 'make it the default profile (the first profile is the default anyway)')
    .addHelpText(
      'after',
      '\nThe key is never taken as an argument (it would show in `ps` and the shell history).\n' +
        'Example: tocsin config set-profile prod --url https://tocsin.example.org --key-file ~/.tocsin/prod.key',
    )
    .action(async (name: string, local: SetProfileOptions) => {
      const opts = {
        ...local,
        url: local.url ?? ctx.globalFlags.url,
        keyFile: local.keyFile ?? ctx.globalFlags.keyFile,
      };
      if (opts.url === undefined) {
        throw new CliUsageError("required option '--url <url>' not specified");
      }
      if (!PROFILE_NAME.test(name)) {
        throw new CliUsageError(`profile name "${name.slice(0, 80)}" is not valid: letters, digits, . _ -, at most 64`);
      }
      if ((opts.keyFile === undefined) === (opts.keyStdin !== true)) {
        throw new CliUsageError('give exactly one of --key-file FILE or --key-stdin');
      }
      const url = checkUrl(opts.url, '--url');
      let profile: Profile;
      if (opts.keyFile !== undefined) {
        const path = isAbsolute(opts.keyFile) ? opts.keyFile : resolve(opts.keyFile);
        await readKeyFile(path, '--key-file'); // refuse a profile whose key cannot be read now
        profile = { url, keyFile: path };
      } else {
        profile = { url, key: await readStdinKey(ctx) };
      }
      const current = await ctx.config();
      const next: ConfigFile = {
        defaultProfile: opts.default === true || current.defaultProfile === undefined ? name : current.defaultProfile,
        profiles: { ...current.profiles, [name]: profile },
      };
      await saveConfigFile(ctx.configPath, next);
      await ctx.print(
        `profile "${name}" saved in ${ctx.configPath}${next.defaultProfile === name ? ' (default)' : ''}`,
      );
    });

  config
    .command('show')
    .description('the profiles, the one in use and where each setting comes from (never a key)')
    .option('--json', 'one JSON object')
    .action(async (opts: { json?: boolean }) => {
      const file = await ctx.config();
      let active: string | undefined;
      try {
        active = chooseProfile(ctx.globalFlags, ctx.env, file)?.name;
      } catch {
        active = undefined;
      }
      let inUse: { url: string; urlFrom: string; keyFrom: string; profile?: string } | { error: string };
      try {
        const c = await ctx.connection();
        inUse = { url: c.url, urlFrom: c.from.url, keyFrom: c.from.key, ...(c.profile ? { profile: c.profile } : {}) };
      } catch (e) {
        inUse = { error: (e as Error).message };
      }
      const profiles = Object.entries(file.profiles).map(([name, p]) => ({
        name,
        url: p.url,
        key: p.keyFile !== undefined ? `file ${p.keyFile}` : p.key !== undefined ? 'stored in the config file' : 'none',
        default: file.defaultProfile === name,
      }));
      if (opts.json === true) {
        await ctx.print(JSON.stringify({ configFile: ctx.configPath, stateDir: ctx.stateDir, profiles, inUse }));
        return;
      }
      await ctx.print(`config file: ${ctx.configPath}`);
      await ctx.print(`state (watch cursors): ${ctx.stateDir}`);
      if (profiles.length > 0) {
        await ctx.print(
          renderTable(
            ['profile', 'url', 'key', 'default'],
            profiles.map((p) => [`${p.name}${p.name === active ? ' *' : ''}`, p.url, p.key, p.default ? 'yes' : '']),
            ctx.outColor,
          ),
        );
      } else {
        await ctx.print('no profiles');
      }
      if ('error' in inUse) {
        await ctx.print(`in use: nothing (${inUse.error})`);
      } else {
        await ctx.print(`in use: ${inUse.url} (url from ${inUse.urlFrom}; key from ${inUse.keyFrom})`);
      }
      if (await readableByOthers(ctx.configPath)) {
        ctx.warn(`${ctx.configPath} is readable by other users: chmod 600 it`);
      }
    });
}
