import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ROOT } from '../test/harness/processes';

/**
 * Socket.io clients in child processes (`node -e`), so that thousands of sockets do not share one event loop
 * with the bench. Each child holds its share of the sockets on the public /alerts interface only (handshake
 * `auth: {token, lastSeq?}`, `alert` events), notes when each `alert` event reached each socket on the shared
 * machine clock (`performance.timeOrigin + performance.now()`, ms), and reports its own CPU time so the
 * clients' overhead can be printed beside the figures.
 */
const CHILD = String.raw`
const { io } = require('socket.io-client');
const { performance } = require('node:perf_hooks');
const sockets = [];
const seen = new Map(); // alert id -> { times: number[], publishedAt }
const now = () => performance.timeOrigin + performance.now();
let cpu = process.cpuUsage();
function connectOne(url, token, gw, timeoutMs) {
  return new Promise((resolve) => {
    const s = io(url + '/alerts', { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    const timer = setTimeout(() => resolve({ s, error: 'timeout' }), timeoutMs);
    s.once('connect', () => { clearTimeout(timer); resolve({ s, error: null }); });
    s.once('connect_error', (e) => { clearTimeout(timer); resolve({ s, error: e.message }); });
    s.on('alert', (e) => {
      const t = now();
      const id = e && e.alert && e.alert.id;
      if (typeof id !== 'string') return;
      let r = seen.get(id);
      if (!r) { r = { times: [], gws: [], publishedAt: e.alert.publishedAt }; seen.set(id, r); }
      r.times.push(t);
      r.gws.push(gw);
    });
  });
}
process.on('message', async (m) => {
  if (m.type === 'connect') {
    const start = now();
    const errors = [];
    let next = 0;
    const workers = Array.from({ length: m.concurrency }, async () => {
      while (next < m.targets.length) {
        const { url, token, gw } = m.targets[next++];
        const { s, error } = await connectOne(url, token, gw, m.timeoutMs);
        if (error) { errors.push(error); s.close(); } else { sockets.push(s); }
      }
    });
    await Promise.all(workers);
    process.send({ type: 'connected', n: sockets.length, errors: errors.slice(0, 5), failed: errors.length, ms: now() - start });
  } else if (m.type === 'arm') {
    cpu = process.cpuUsage();
    process.send({ type: 'armed' });
  } else if (m.type === 'collect') {
    const deadline = now() + m.timeoutMs;
    const done = () => (seen.get(m.alertId)?.times.length ?? 0) >= sockets.length;
    while (!done() && now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const r = seen.get(m.alertId);
    seen.delete(m.alertId);
    const used = process.cpuUsage(cpu);
    const connected = sockets.filter((s) => s.connected).length;
    process.send({ type: 'result', times: r ? r.times : [], gws: r ? r.gws : [], publishedAt: r ? r.publishedAt : null,
      cpuMs: (used.user + used.system) / 1000, rss: process.memoryUsage().rss, connected });
  } else if (m.type === 'close') {
    for (const s of sockets) s.close();
    process.send({ type: 'closed' });
    setTimeout(() => process.exit(0), 100);
  }
});
process.send({ type: 'ready' });
`;

export interface ClientResult {
  readonly times: number[];
  /** The gateway (index into the targets' `gw`) of the socket of each receipt time. */
  readonly gws: number[];
  readonly publishedAt: string | null;
  readonly cpuMs: number;
  readonly rss: number;
  readonly connected: number;
}

/**
 * A `node -e <script>` child process spoken to over IPC: messages are objects with a `type`; receive() waits for the
 * next one of a type (bounded), failing at once should the child end.
 */
export class ChildChannel {
  private readonly child: ChildProcess;
  private readonly inbox: { type: string; [k: string]: unknown }[] = [];
  private waiter: (() => void) | null = null;
  private exit: string | null = null;

  constructor(script: string) {
    this.child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: { type: string }) => {
      this.inbox.push(m);
      this.waiter?.();
    });
    this.child.once('exit', (code, signal) => {
      this.exit = signal ? `signal ${signal}` : `exit code ${code}`;
      this.waiter?.();
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** How the child ended; null while it runs. */
  get ended(): string | null {
    return this.exit;
  }

  send(message: { type: string; [k: string]: unknown }): void {
    this.child.send(message);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  async receive<T>(type: string, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex((m) => m.type === type);
      if (i >= 0) {
        return this.inbox.splice(i, 1)[0] as T;
      }
      if (this.exit !== null) {
        throw new Error(`a socket client process ended (${this.exit})`);
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`a socket client process did not answer '${type}' within ${timeoutMs / 1000} s`);
      }
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiter = () => {
          clearTimeout(t);
          r();
        };
      });
      this.waiter = null;
    }
  }
}

/** One child process holding a share of the sockets. */
export class SocketClients {
  private readonly channel = new ChildChannel(CHILD);

  get pid(): number {
    return this.channel.pid;
  }

  private receive<T>(type: string, timeoutMs: number): Promise<T> {
    return this.channel.receive<T>(type, timeoutMs);
  }

  ready(): Promise<unknown> {
    return this.receive('ready', 30_000);
  }

  async connect(
    targets: readonly { url: string; token: string; gw: number }[],
    concurrency: number,
    timeoutMs: number,
  ): Promise<{ n: number; failed: number; errors: string[]; ms: number }> {
    this.channel.send({ type: 'connect', targets, concurrency, timeoutMs });
    return this.receive('connected', timeoutMs * Math.max(1, Math.ceil(targets.length / concurrency)) + 30_000);
  }

  async arm(): Promise<void> {
    this.channel.send({ type: 'arm' });
    await this.receive('armed', 30_000);
  }

  async collect(alertId: string, timeoutMs: number): Promise<ClientResult> {
    this.channel.send({ type: 'collect', alertId, timeoutMs });
    return this.receive('result', timeoutMs + 30_000);
  }

  async close(): Promise<void> {
    if (this.channel.ended !== null) {
      return;
    }
    this.channel.send({ type: 'close' });
    await this.receive('closed', 30_000).catch(() => undefined);
    if (this.channel.ended === null) {
      this.channel.kill();
    }
  }
}

/** CPU time (user + system, ms) a process has used so far, from /proc/<pid>/stat; NaN when gone. */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11] and [12] are utime and stime (fields 14 and 15 of stat), in clock ticks (USER_HZ = 100 on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The soft limit on open files of this process (what `ulimit -n` shows), from /proc/self/limits. */
export function openFilesLimit(): string {
  try {
    const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? `${m[1]} (hard ${m[2]})` : 'unknown';
  } catch {
    return 'unknown';
  }
}
