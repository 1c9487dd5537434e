import type { TocsinClient } from '@tocsin/client';
import { colorEnabled, configFilePath, stateDir, type CliEnv } from './config/cli-env';
import { loadConfigFile, type ConfigFile } from './config/config-file';
import { resolveConnection, type Connection, type ConnectionFlags } from './config/resolve-connection';
import { makeColors, type Colors } from './output/colors';

/** The streams the CLI writes to and reads from (the process's, or a test's). */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** What the CLI is given from outside: streams, environment, and how to make a client (tests may wrap it). */
export interface CliDeps {
  readonly io: CliIo;
  readonly env: CliEnv;
  readonly makeClient: (connection: Connection) => TocsinClient;
  /** Handlers for SIGINT/SIGTERM; `watch` uses them to stop cleanly. Returns a function removing them. */
  readonly onStopSignal: (stop: (signal: string) => void) => () => void;
}

/** What every command's action gets. */
export class CommandContext {
  /** Colours for stdout and stderr: on only for a terminal (NO_COLOR, FORCE_COLOR honoured). */
  readonly out: Colors;
  readonly err: Colors;
  readonly outColor: boolean;
  readonly configPath: string;
  readonly stateDir: string;
  private configCache: ConfigFile | undefined;

  constructor(
    readonly deps: CliDeps,
    private readonly flags: () => ConnectionFlags,
  ) {
    this.outColor = colorEnabled(deps.env, deps.io.stdout.isTTY === true);
    this.out = makeColors(this.outColor);
    this.err = makeColors(colorEnabled(deps.env, deps.io.stderr.isTTY === true));
    this.configPath = configFilePath(deps.env);
    this.stateDir = stateDir(deps.env);
  }

  get env(): CliEnv {
    return this.deps.env;
  }

  get globalFlags(): ConnectionFlags {
    return this.flags();
  }

  /** Writes a line to stdout and resolves once it is handed to the OS (so a kill after it loses nothing). */
  print(line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.deps.io.stdout.write(line + '\n', (e) => (e ? reject(e) : resolve()));
    });
  }

  /** Writes a line to stderr (progress, warnings, connection news). */
  note(line: string): void {
    this.deps.io.stderr.write(line + '\n');
  }

  warn(line: string): void {
    this.note(`${this.err.yellow('warning:')} ${line}`);
  }

  async config(): Promise<ConfigFile> {
    this.configCache ??= await loadConfigFile(this.configPath);
    return this.configCache;
  }

  async connection(): Promise<Connection> {
    return resolveConnection(this.flags(), this.env, await this.config(), this.configPath);
  }

  /** A client for the configured hub; a usage error (exit 2) saying what to set when nothing is configured. */
  async client(): Promise<{ client: TocsinClient; connection: Connection }> {
    const connection = await this.connection();
    return { client: this.deps.makeClient(connection), connection };
  }
}
