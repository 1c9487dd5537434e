import { spawnSync } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlert } from '../factories/alerts';
import { seedOrg, type SeededOrg } from '../factories/orgs';
import { CLI_ENTRY, makeCliHome, runCli, type CliHome } from '../harness/cli';
import { eventually } from '../harness/eventually';
import { startTestHub, type TestHub } from '../harness/hub';
import { freePort } from '../harness/processes';

/** The built `tocsin` CLI, run as a child process against a real hub (in this process). */
let hub: TestHub;
let home: CliHome;

beforeAll(async () => {
  hub = await startTestHub();
  home = await makeCliHome();
}, 90_000);

afterAll(async () => {
  await home?.remove();
  await hub?.close();
});

const FIXTURES = resolve(__dirname, '../fixtures');
const as = (key: string): Record<string, string> => ({ ...home.env, TOCSIN_URL: hub.url, TOCSIN_KEY: key });
/** Every stdout line parses as JSON. */
const jsonLines = (stdout: string): any[] =>
  stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);

describe('tocsin --help', () => {
  /** The subcommands a help page lists under "Commands:" (commander's layout), without `help`. */
  function listed(help: string): string[] {
    const at = help.indexOf('\nCommands:\n');
    if (at < 0) {
      return [];
    }
    const names: string[] = [];
    for (const line of help.slice(at + '\nCommands:\n'.length).split('\n')) {
      const m = /^ {2}([a-z][a-z-]*)\b/.exec(line);
      if (!m) {
        if (line.trim() === '') {
          break;
        }
        continue;
      }
      if (m[1] !== 'help') {
        names.push(m[1]!);
      }
    }
    return names;
  }

  it('answers every command’s --help with exit 0, its usage and the exit codes', async () => {
    const seen: string[] = [];
    const queue: string[][] = [[]];
    while (queue.length > 0) {
      const batch = queue.splice(0, 4);
      const runs = await Promise.all(batch.map((path) => runCli([...path, '--help'], home.env)));
      runs.forEach((r, i) => {
        const path = batch[i]!;
        expect(r.code, `${path.join(' ')} --help: ${r.stderr}`).toBe(0);
        expect(r.stdout).toContain(`Usage: tocsin${path.length > 0 ? ` ${path.join(' ')}` : ''}`);
        expect(r.stdout).toContain('5  input refused (400, 413, 415, 422)');
        seen.push(path.join(' '));
        queue.push(...listed(r.stdout).map((name) => [...path, name]));
      });
    }
    for (const command of [
      'watch',
      'submit',
      'alerts list',
      'alerts show',
      'alerts export',
      'alerts update',
      'alerts revoke',
      'alerts sighting',
      'lookup',
      'review list',
      'review approve',
      'review reject',
      'coordinated list',
      'coordinated show',
      'coordinated close',
      'orgs list',
      'orgs create',
      'orgs trust',
      'orgs update',
      'keys create',
      'keys list',
      'keys revoke',
      'users list',
      'users invite',
      'users reinvite',
      'users role',
      'users disable',
      'users enable',
      'users end-sessions',
      'users remove-totp',
      'subscriptions list',
      'subscriptions create',
      'subscriptions show',
      'subscriptions update',
      'subscriptions delete',
      'constituency show',
      'constituency set',
      'audit',
      'config set-profile',
      'config show',
    ]) {
      expect(seen).toContain(command);
    }
  }, 120_000);
});

describe('tocsin exit codes', () => {
  let member: SeededOrg;

  beforeAll(async () => {
    member = await seedOrg(hub, { trustLevel: 3, country: 'FR' });
  });

  it('exits 2 and says which variable to set when no hub is configured', async () => {
    const r = await runCli(['alerts', 'list'], home.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no hub URL configured');
    expect(r.stderr).toContain('set TOCSIN_URL and TOCSIN_KEY, or run `tocsin config set-profile');
    expect(r.stdout).toBe('');
  });

  it('exits 2 on a bad flag or a missing argument, before sending anything', async () => {
    expect((await runCli(['alerts', 'list', '--limit', 'many'], as(member.keys.reader))).code).toBe(2);
    const r = await runCli(['orgs', 'trust', 'x', '3'], as(hub.adminKey));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '--reason <text>' not specified");
    expect((await runCli(['nope'], home.env)).code).toBe(2);
  });

  it('exits 3 for an alert that does not exist or may not be seen', async () => {
    const r = await runCli(['alerts', 'show', '0b9f4c1e-5a7d-4f0e-9d61-2f3c8a7b6e10'], as(member.keys.reader));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('404 alert-not-found');
  });

  it('exits 4 for an unknown key and 4 for a role that may not do it', async () => {
    const bad = await runCli(['alerts', 'list'], as('tcs_AAAAAAAAAAAA_' + 'x'.repeat(43)));
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('401 unauthorized');
    expect(bad.stderr).toContain('set TOCSIN_KEY');
    const forbidden = await runCli(
      ['orgs', 'create', '--name', 'X', '--country', 'FR', '--trust', '2'],
      as(member.keys.admin),
    );
    expect(forbidden.code).toBe(4);
  });

  it('exits 7 when the hub cannot be reached', async () => {
    const port = await freePort();
    const r = await runCli(['alerts', 'list'], { ...as(member.keys.reader), TOCSIN_URL: `http://127.0.0.1:${port}` });
    expect(r.code).toBe(7);
    expect(r.stderr).toContain(`cannot reach the hub at http://127.0.0.1:${port}`);
  });

  it('loads no server framework or server lib at run time (only the client and the domain)', () => {
    const probe = `
      process.argv = [process.argv[0], ${JSON.stringify(CLI_ENTRY)}, '--help'];
      process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(Object.keys(require.cache))));
      require(${JSON.stringify(CLI_ENTRY)});`;
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(r.status).toBe(0);
    const loaded = JSON.parse(r.stderr.slice(r.stderr.indexOf('LOADED ') + 7)) as string[];
    expect(loaded.filter((p) => /node_modules\/(@nestjs|typeorm|bullmq|ioredis|pg|pino|express)\//.test(p))).toEqual(
      [],
    );
    expect(loaded.filter((p) => /dist\/libs\/(?!client\/|domain\/)/.test(p))).toEqual([]);
    expect(loaded.some((p) => p.includes('dist/libs/client/'))).toBe(true);
  });
});

describe('tocsin config', () => {
  it('keeps one profile per hub in a 0600 file, uses it, and never prints the key', async () => {
    const own = await makeCliHome();
    try {
      const member = await seedOrg(hub, { trustLevel: 3 });
      const keyFile = join(own.dir, 'member.key');
      await writeFile(keyFile, member.keys.reader + '\n', { mode: 0o600 });
      const set = await runCli(['config', 'set-profile', 'lab', '--url', hub.url, '--key-file', keyFile], own.env);
      expect(set.code).toBe(0);
      const stored = await runCli(['config', 'set-profile', 'other', '--url', hub.url, '--key-stdin'], own.env, {
        input: member.keys.operator + '\n',
      });
      expect(stored.code).toBe(0);
      const path = join(own.env.XDG_CONFIG_HOME!, 'tocsin', 'config.json');
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({
        defaultProfile: 'lab',
        profiles: { lab: { url: hub.url, keyFile }, other: { url: hub.url } },
      });

      const show = await runCli(['config', 'show'], own.env);
      const showJson = await runCli(['config', 'show', '--json', '--profile', 'other'], own.env);
      for (const r of [show, showJson]) {
        expect(r.code).toBe(0);
        expect(r.stdout + r.stderr).not.toContain(member.keys.reader);
        expect(r.stdout + r.stderr).not.toContain(member.keys.operator);
      }
      expect(JSON.parse(showJson.stdout)).toMatchObject({ inUse: { url: hub.url, profile: 'other' } });

      // The default profile serves a command with no environment at all.
      const list = await runCli(['alerts', 'list', '--json'], own.env);
      expect(list.code).toBe(0);
      // An unknown profile is a usage error naming the known ones.
      const unknown = await runCli(['alerts', 'list', '--profile', 'nope'], own.env);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('known profiles: lab, other');
    } finally {
      await own.remove();
    }
  });
});

describe('tocsin submit', () => {
  let sender: SeededOrg;

  beforeAll(async () => {
    sender = await seedOrg(hub, { trustLevel: 3, country: 'DE' });
  });

  it.each([
    ['native', null, []],
    ['STIX 2.1', 'stix/oasis-indicator-for-malicious-url.json', ['--title', 'Malicious URL', '--tlp', 'GREEN']],
    ['MISP', 'misp/pymisp-circl-osint-xorist-57c4445b.json', []],
    ['CSV', 'csv/amnesty-2020-uzbekistan-ips.txt', ['--title', 'Uzbekistan campaign', '--severity', 'high']],
    ['IntelMQ', 'intelmq/c2-feed.events.jsonl', ['--title', 'IntelMQ C2', '--tlp', 'GREEN']],
  ])('submits %s with --wait and prints the outcome (published, exit 0)', async (_name, fixture, flags) => {
    let file: string;
    if (fixture === null) {
      file = join(home.dir, 'native.json');
      await writeFile(file, JSON.stringify(buildAlert({ title: 'Native CLI alert' })));
    } else {
      file = join(FIXTURES, fixture);
    }
    const r = await runCli(['submit', file, '--wait', ...flags], as(sender.keys.operator));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^accepted: alert [0-9a-f-]{36}, /m);
    expect(r.stdout).toMatch(/: published \(seq \d+, \d+ indicators?\)$/m);
    const id = /accepted: alert ([0-9a-f-]{36})/.exec(r.stdout)![1]!;
    expect((await hub.http('GET', `/api/v1/alerts/${id}`, sender.keys.operator)).body.status).toBe('published');
  });

  it('prints one JSON line per file with --json, and each parses', async () => {
    const csv = join(FIXTURES, 'csv/amnesty-2020-uzbekistan-ips.txt');
    const intelmq = join(FIXTURES, 'intelmq/c2-feed.events.jsonl');
    const r = await runCli(
      ['submit', csv, intelmq, '--title', 'Two files', '--wait', '--json'],
      as(sender.keys.operator),
    );
    expect(r.code, r.stderr).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => l.format)).toEqual(['csv', 'intelmq']);
    for (const l of lines) {
      expect(l.accepted).toMatchObject({ id: expect.any(String), status: 'queued' });
      expect(l.outcomes).toEqual([expect.objectContaining({ status: 'published' })]);
    }
  });

  it('exits 5 for a refused file and prints each problem with its pointer', async () => {
    const csv = join(FIXTURES, 'csv/amnesty-2020-uzbekistan-ips.txt');
    const noTitle = await runCli(['submit', csv], as(sender.keys.operator));
    expect(noTitle.code).toBe(5);
    expect(noTitle.stderr).toContain('400 invalid-body');
    expect(noTitle.stderr).toMatch(/^ {2}\?title: /m);

    const bad = join(home.dir, 'bad.json');
    await writeFile(bad, JSON.stringify(buildAlert({ severity: 'urgent' })));
    const r = await runCli(['submit', bad, '--json'], as(sender.keys.operator));
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^ {2}\/severity: /m);
    expect(jsonLines(r.stdout)).toEqual([expect.objectContaining({ file: bad, exitCode: 5 })]);
  });

  it('exits 5 with the line of a refused CSV line, and carries on with the next file', async () => {
    const broken = join(home.dir, 'broken.csv');
    await writeFile(broken, 'type,value\nipv4,198.51.100.9\nipv4,"unterminated\n');
    const ok = join(home.dir, 'ok.txt');
    await writeFile(ok, '198.51.100.10\n');
    const r = await runCli(['submit', broken, ok, '--title', 'Broken then fine'], as(sender.keys.operator));
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^ {2}line \d+: /m);
    expect(r.stdout).toContain('accepted: alert');
  });

  it('says when an alert is held for review (exit 0)', async () => {
    const provisional = await seedOrg(hub, { trustLevel: 1 });
    const file = join(home.dir, 'held.json');
    await writeFile(file, JSON.stringify(buildAlert()));
    const r = await runCli(['submit', file, '--wait'], as(provisional.keys.operator));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(': held for review');
  });
});

describe('tocsin review, orgs and the audit trail', () => {
  let hubVetter: string;

  beforeAll(async () => {
    const orgs = await hub.http('GET', '/api/v1/orgs', hub.adminKey);
    const hubOrg = (orgs.body.items as any[]).find((o) => o.isHub);
    const k = await hub.http('POST', `/api/v1/orgs/${hubOrg.id}/keys`, hub.adminKey, { role: 'vetter' });
    hubVetter = k.body.key as string;
  });

  async function heldAlert(key: string, title: string): Promise<string> {
    const r = await hub.http('POST', '/api/v1/alerts', key, buildAlert({ title }));
    expect(r.status).toBe(202);
    await eventually(async () => {
      expect((await hub.http('GET', `/api/v1/alerts/${r.body.id}`, key)).body.status).toBe('pending_review');
    });
    return r.body.id as string;
  }

  it('lists the review queue, approves and rejects through the CLI, each decision in the audit trail, and refuses a second decision (exit 6)', async () => {
    const provisional = await seedOrg(hub, { trustLevel: 1 });
    const approveId = await heldAlert(provisional.keys.operator, 'Held one');
    const rejectId = await heldAlert(provisional.keys.operator, 'Held two');

    const list = await runCli(['review', 'list', '--json', '--limit', '200'], as(hubVetter));
    expect(list.code, list.stderr).toBe(0);
    expect(jsonLines(list.stdout).map((a) => a.id)).toEqual(expect.arrayContaining([approveId, rejectId]));

    const approve = await runCli(
      ['review', 'approve', approveId, '--reason', 'checked the C2s', '--wait'],
      as(hubVetter),
    );
    expect(approve.code, approve.stderr).toBe(0);
    expect(approve.stdout).toContain(`alert ${approveId}: published`);
    const reject = await runCli(['review', 'reject', rejectId, '--reason', 'sinkholed addresses'], as(hubVetter));
    expect(reject.code, reject.stderr).toBe(0);
    expect(reject.stdout).toContain(`alert ${rejectId}: rejected`);

    const again = await runCli(['review', 'reject', approveId, '--reason', 'twice'], as(hubVetter));
    expect(again.code).toBe(6);
    expect(again.stderr).toContain('409');

    // The submitter sees each decision and its reason on its alert.
    const approved = await hub.http('GET', `/api/v1/alerts/${approveId}`, provisional.keys.operator);
    expect(approved.body.review).toMatchObject({ decision: 'approve', reason: 'checked the C2s' });
    const rejected = await hub.http('GET', `/api/v1/alerts/${rejectId}`, provisional.keys.operator);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      review: { decision: 'reject', reason: 'sinkholed addresses' },
    });

    // Both decisions are in the audit trail, under the submitting org, naming the reviewer's key; the refused
    // second decision left nothing.
    const audit = await hub.http('GET', `/api/v1/audit?orgId=${provisional.id}`, hub.adminKey);
    expect(audit.status).toBe(200);
    const hubVetterId = (await hub.http('GET', '/api/v1/orgs', hubVetter)).body.items[0].id as string;
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'alert.reviewed',
        actorOrgId: hubVetterId,
        subjectOrgId: provisional.id,
        oldValue: { alertId: rejectId, status: 'pending_review' },
        newValue: { alertId: rejectId, decision: 'reject' },
        reason: 'sinkholed addresses',
      }),
      expect.objectContaining({
        action: 'alert.reviewed',
        actorOrgId: hubVetterId,
        subjectOrgId: provisional.id,
        oldValue: { alertId: approveId, status: 'pending_review' },
        newValue: { alertId: approveId, decision: 'approve' },
        reason: 'checked the C2s',
      }),
    ]);
    const shown = await runCli(['audit', '--org', provisional.id, '--json'], as(hub.adminKey));
    expect(shown.code, shown.stderr).toBe(0);
    expect(jsonLines(shown.stdout).map((e) => [e.action, e.newValue.decision])).toEqual([
      ['alert.reviewed', 'reject'],
      ['alert.reviewed', 'approve'],
    ]);
  });

  it('creates an organisation and changes its trust through the CLI; the change is in the audit trail', async () => {
    const name = `CERT-CLI ${Math.random().toString(36).slice(2, 8)}`;
    const created = await runCli(
      ['orgs', 'create', '--name', name, '--country', 'LU', '--trust', '2', '--json'],
      as(hub.adminKey),
    );
    expect(created.code, created.stderr).toBe(0);
    const org = JSON.parse(created.stdout);
    expect(org).toMatchObject({ name, country: 'LU', trustLevel: 2 });

    const trust = await runCli(['orgs', 'trust', name, '3', '--reason', 'vetted in person'], as(hub.adminKey));
    expect(trust.code, trust.stderr).toBe(0);
    expect(trust.stdout).toContain('is now trust 3 trusted');

    const audit = await hub.http('GET', `/api/v1/audit?orgId=${org.id}`, hub.adminKey);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'org.trust-changed',
        subjectOrgId: org.id,
        oldValue: { trustLevel: 2 },
        newValue: { trustLevel: 3 },
        reason: 'vetted in person',
      }),
    ]);
    const cli = await runCli(['audit', '--org', org.id, '--json'], as(hub.adminKey));
    expect(cli.code, cli.stderr).toBe(0);
    expect(jsonLines(cli.stdout)).toEqual([
      expect.objectContaining({ action: 'org.trust-changed', reason: 'vetted in person' }),
    ]);

    const none = await runCli(
      ['orgs', 'trust', '0b9f4c1e-5a7d-4f0e-9d61-2f3c8a7b6e10', '3', '--reason', 'x'],
      as(hub.adminKey),
    );
    expect(none.code).toBe(3);

    // Renamed and given a sector (by its name), then the sector cleared; nothing to change is a usage error.
    const renamed = await runCli(
      ['orgs', 'update', name, '--name', `${name} (LU)`, '--sector', 'government', '--reason', 'official name'],
      as(hub.adminKey),
    );
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(renamed.stdout).toBe(`${org.id}: ${name} (LU), government\n`);
    const cleared = await runCli(
      ['orgs', 'update', org.id, '--sector', '', '--reason', 'no sector', '--json'],
      as(hub.adminKey),
    );
    expect(JSON.parse(cleared.stdout)).toMatchObject({ name: `${name} (LU)`, sector: null });
    expect((await runCli(['orgs', 'update', org.id, '--reason', 'x'], as(hub.adminKey))).code).toBe(2);
  });
});

describe('tocsin alerts update, revoke and sighting', () => {
  let sender: SeededOrg;
  let recipient: SeededOrg;

  beforeAll(async () => {
    sender = await seedOrg(hub, { trustLevel: 3, country: 'EE' });
    recipient = await seedOrg(hub, { trustLevel: 3, country: 'LV' });
  });

  async function published(body: Record<string, unknown>): Promise<string> {
    const r = await hub.http('POST', '/api/v1/alerts', sender.keys.operator, body);
    expect(r.status).toBe(202);
    await eventually(async () => {
      expect((await hub.http('GET', `/api/v1/alerts/${r.body.id}`, sender.keys.reader)).body.status).toBe('published');
    });
    return r.body.id as string;
  }

  it('revises the submitter’s alert, refuses an empty revision before sending, and refuses another org (exit 4)', async () => {
    const id = await published(buildAlert({ title: 'First take', severity: 'medium', tlp: 'GREEN' }));
    const upd = await runCli(
      ['alerts', 'update', id, '--severity', 'critical', '--title', 'Worse than thought', '--valid-until', 'none'],
      as(sender.keys.operator),
    );
    expect(upd.code, upd.stderr).toBe(0);
    expect(upd.stdout).toBe(`alert ${id}: revision 2 · CRITICAL · Worse than thought\n`);
    expect((await hub.http('GET', `/api/v1/alerts/${id}`, recipient.keys.reader)).body).toMatchObject({
      revision: 2,
      severity: 'critical',
      title: 'Worse than thought',
    });

    const empty = await runCli(['alerts', 'update', id], as(sender.keys.operator));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('nothing to change');
    const json = await runCli(['alerts', 'update', id, '--description', '', '--json'], as(sender.keys.operator));
    expect(JSON.parse(json.stdout)).toMatchObject({ id, revision: 3, description: null });

    const other = await runCli(['alerts', 'update', id, '--severity', 'low'], as(recipient.keys.operator));
    expect(other.code).toBe(4);
    const bad = await runCli(['alerts', 'update', id, '--severity', 'urgent'], as(sender.keys.operator));
    expect(bad.code).toBe(2);
  });

  it('reports a sighting and a false positive on a defanged indicator; the alert shows them and its confidence', async () => {
    const id = await published(
      buildAlert({ tlp: 'GREEN', confidence: 70, indicators: [{ type: 'domain', value: 'beacon.wave-c2.org' }] }),
    );
    const seen = await runCli(['alerts', 'sighting', id], as(recipient.keys.reader));
    expect(seen.code, seen.stderr).toBe(0);
    expect(seen.stdout).toBe(`alert ${id}: sighting recorded · 1 sighting, 0 false positives · confidence 76\n`);
    const again = await runCli(['alerts', 'sighting', id, '--json'], as(recipient.keys.reader));
    expect(JSON.parse(again.stdout)).toMatchObject({ recorded: false, sightingCount: 1, confidence: 76 });
    const fp = await runCli(
      ['alerts', 'sighting', id, '--indicator', 'beacon[.]wave-c2[.]org', '--false-positive', '--json'],
      as(recipient.keys.reader),
    );
    expect(fp.code, fp.stderr).toBe(0);
    expect(JSON.parse(fp.stdout)).toMatchObject({
      type: 'false-positive',
      indicator: 'beacon[.]wave-c2[.]org',
      recorded: true,
      falsePositiveCount: 1,
      confidence: 67,
    });
    const notOne = await runCli(['alerts', 'sighting', id, '--indicator', 'other.example'], as(recipient.keys.reader));
    expect(notOne.code).toBe(5);
    expect(notOne.stderr).toContain('/indicator');
    const own = await runCli(['alerts', 'sighting', id], as(sender.keys.reader));
    expect(own.code).toBe(4);

    const show = await runCli(['alerts', 'show', id], as(recipient.keys.reader));
    expect(show.stdout).toMatch(/confidence\s*│\s*67/);
    expect(show.stdout).toContain('1 sighting, 1 false positive');
  });

  it('revokes with a reason, and refuses a second revocation (exit 6)', async () => {
    const id = await published(buildAlert({ tlp: 'GREEN' }));
    const rev = await runCli(['alerts', 'revoke', id, '--reason', 'a sinkhole, not a C2'], as(sender.keys.operator));
    expect(rev.code, rev.stderr).toBe(0);
    expect(rev.stdout).toBe(`alert ${id}: revoked: revoked: a sinkhole, not a C2\n`);
    const twice = await runCli(['alerts', 'revoke', id, '--reason', 'again'], as(sender.keys.operator));
    expect(twice.code).toBe(6);
    const noReason = await runCli(['alerts', 'revoke', id], as(sender.keys.operator));
    expect(noReason.code).toBe(2);
  });
});

describe('tocsin users', () => {
  it('invites into a 0600 file, lists, changes the role, disables, enables, ends sessions and reinvites', async () => {
    const org = await seedOrg(hub, { trustLevel: 3, country: 'LT' });
    const stranger = await seedOrg(hub, { trustLevel: 3, country: 'PL' });
    const address = `ana.${Date.now()}@cert-lt.example`;
    const file = join(home.dir, `invite-${Date.now()}.txt`);
    const invited = await runCli(
      ['users', 'invite', address.toUpperCase(), '--role', 'reader', '--name', 'Ana', '-o', file],
      as(org.keys.admin),
    );
    expect(invited.code, invited.stderr).toBe(0);
    expect(invited.stdout).toMatch(
      new RegExp(`^user [0-9a-f-]{36} \\(${address.replace(/\./g, '\\.')}\\): reader, invited;`),
    );
    expect(invited.stdout).toContain(`invite link written to ${file} (0600)`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const link = (await readFile(file, 'utf8')).trim();
    expect(link).toMatch(/\/invite#[A-Za-z0-9_-]{43}$/);
    const token = link.slice(link.indexOf('#') + 1);
    expect(invited.stdout).not.toContain(token);
    const password = 'amber lantern river 77';
    expect((await hub.http('POST', `/api/v1/invites/${token}`, null, { password })).status).toBe(200);

    const json = await runCli(['users', 'invite', `bo.${address}`, '--role', 'operator', '--json'], as(org.keys.admin));
    expect(JSON.parse(json.stdout)).toMatchObject({
      role: 'operator',
      status: 'invited',
      inviteUrl: expect.any(String),
    });

    const list = await runCli(['users', 'list', '--json'], as(org.keys.admin));
    expect(list.code, list.stderr).toBe(0);
    const users = jsonLines(list.stdout);
    expect(users.map((u) => [u.email, u.role, u.status]).sort()).toEqual([
      [address, 'reader', 'active'],
      [`bo.${address}`, 'operator', 'invited'],
    ]);
    expect(JSON.stringify(users)).not.toMatch(/password|token|secret/i);
    expect((await runCli(['users', 'list'], as(org.keys.admin))).stdout).toContain('Ana');

    const role = await runCli(['users', 'role', address, 'vetter'], as(org.keys.admin));
    expect(role.code, role.stderr).toBe(0);
    expect(role.stdout).toContain(': vetter, active');
    expect((await runCli(['users', 'role', address, 'boss'], as(org.keys.admin))).code).toBe(2);

    expect((await hub.http('POST', '/api/v1/session', null, { email: address, password })).status).toBe(201);
    const ended = await runCli(['users', 'end-sessions', address], as(org.keys.admin));
    expect(ended.stdout).toBe('ended 1 session\n');
    const disabled = await runCli(['users', 'disable', address, '--json'], as(org.keys.admin));
    expect(JSON.parse(disabled.stdout)).toMatchObject({ email: address, status: 'disabled' });
    expect((await hub.http('POST', '/api/v1/session', null, { email: address, password })).status).toBe(401);
    const enabled = await runCli(['users', 'enable', address], as(org.keys.admin));
    expect(enabled.stdout).toContain(': vetter, active');
    expect((await runCli(['users', 'remove-totp', address], as(org.keys.admin))).code).toBe(0);
    const again = await runCli(['users', 'reinvite', address, '--json'], as(org.keys.admin));
    expect(JSON.parse(again.stdout).inviteUrl).toMatch(/\/invite#/);

    // Another organisation's admin, a reader, and an unknown e-mail.
    expect((await runCli(['users', 'list', '--org', org.id], as(stranger.keys.admin))).code).toBe(3);
    expect((await runCli(['users', 'list'], as(org.keys.reader))).code).toBe(4);
    const unknown = await runCli(['users', 'disable', 'nobody@cert-lt.example'], as(org.keys.admin));
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('no user with the e-mail');
  });
});

describe('tocsin coordinated', () => {
  it('lists and shows a coordinated alert as each key may see it, and closes it once (hub admin)', async () => {
    const orgs = [
      await seedOrg(hub, { trustLevel: 3, country: 'FI' }),
      await seedOrg(hub, { trustLevel: 3, country: 'SE' }),
      await seedOrg(hub, { trustLevel: 3, country: 'FI' }),
    ];
    // Addresses outside every warning list, shared by the three reports.
    const indicators = [
      { type: 'ipv4', value: '193.42.33.14' },
      { type: 'domain', value: 'nordic-c2-upd.net' },
    ];
    for (const org of orgs) {
      const r = await hub.http('POST', '/api/v1/alerts', org.keys.operator, buildAlert({ tlp: 'GREEN', indicators }));
      expect(r.status).toBe(202);
      await eventually(async () => {
        const a = await hub.http('GET', `/api/v1/alerts/${r.body.id}`, org.keys.reader);
        expect(a.body.status).toBe('published');
      });
    }
    const member = orgs[0]!;
    const listed = await eventually(async () => {
      const r = await runCli(['coordinated', 'list', '--status', 'active', '--json'], as(member.keys.reader));
      expect(r.code, r.stderr).toBe(0);
      const items = jsonLines(r.stdout).filter((ca) => ca.sharedIndicators.includes('domain:nordic-c2-upd.net'));
      expect(items).toHaveLength(1);
      return items[0];
    }, 30_000);
    expect(listed).toMatchObject({ status: 'active', orgCount: 3, countries: ['FI', 'SE'], reportCount: 3 });

    const table = await runCli(['coordinated', 'list'], as(member.keys.reader));
    expect(table.stdout).toContain(listed.id);
    const show = await runCli(['coordinated', 'show', listed.id], as(member.keys.reader));
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('3 in FI, SE');
    expect(show.stdout).toContain('Reports (3)');
    expect(show.stdout).toContain('nordic-c2-upd.net');

    const byMember = await runCli(['coordinated', 'close', listed.id, '--reason', 'handled'], as(member.keys.reader));
    expect(byMember.code).toBe(4);
    const closed = await runCli(['coordinated', 'close', listed.id, '--reason', 'botnet taken down'], as(hub.adminKey));
    expect(closed.code, closed.stderr).toBe(0);
    expect(closed.stdout).toBe(`coordinated alert ${listed.id}: closed\n`);
    const twice = await runCli(['coordinated', 'close', listed.id, '--reason', 'again'], as(hub.adminKey));
    expect(twice.code).toBe(6);
    const unknown = await runCli(
      ['coordinated', 'show', '00000000-0000-4000-8000-000000000000'],
      as(member.keys.reader),
    );
    expect(unknown.code).toBe(3);
    const closedList = await runCli(['coordinated', 'list', '--status', 'closed', '--json'], as(member.keys.reader));
    expect(jsonLines(closedList.stdout).map((ca) => ca.id)).toContain(listed.id);
  }, 60_000);
});

describe('tocsin alerts, lookup, keys, subscriptions and constituency', () => {
  let org: SeededOrg;
  let alertId: string;

  beforeAll(async () => {
    org = await seedOrg(hub, { trustLevel: 3, country: 'NL' });
    const r = await hub.http(
      'POST',
      '/api/v1/alerts',
      org.keys.operator,
      buildAlert({ title: 'Lookup me', tlp: 'GREEN' }),
    );
    alertId = r.body.id as string;
    await eventually(async () => {
      expect((await hub.http('GET', `/api/v1/alerts/${alertId}`, org.keys.operator)).body.status).toBe('published');
    });
  });

  it('lists (NDJSON), shows and exports alerts', async () => {
    const list = await runCli(
      ['alerts', 'list', '--json', '--source-country', 'NL', '--limit', '5'],
      as(org.keys.reader),
    );
    expect(list.code, list.stderr).toBe(0);
    expect(jsonLines(list.stdout).map((a) => a.id)).toContain(alertId);
    const table = await runCli(['alerts', 'list', '--source-country', 'NL'], as(org.keys.reader));
    expect(table.stdout).toContain('Lookup me');
    expect(table.stdout).not.toContain('\u001b');

    const show = await runCli(['alerts', 'show', alertId], as(org.keys.reader));
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('TLP:GREEN');
    expect(show.stdout).toContain('NL trusted');

    const out = join(home.dir, 'export.stix.json');
    const exp = await runCli(['alerts', 'export', alertId, '--format', 'stix', '-o', out], as(org.keys.reader));
    expect(exp.code, exp.stderr).toBe(0);
    expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ type: 'bundle' });
    const misp = await runCli(['alerts', 'export', alertId, '--format', 'misp'], as(org.keys.reader));
    expect(JSON.parse(misp.stdout)).toHaveProperty('Event');
  });

  it('looks up who reported a value, defanged or not', async () => {
    const r = await runCli(['lookup', 'c2[.]example[.]net'], as(org.keys.reader));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('c2.example.net (domain):');
    expect(r.stdout).toContain(alertId);
    const json = await runCli(['lookup', '198.51.100.23', '--json'], as(org.keys.reader));
    expect(JSON.parse(json.stdout)).toMatchObject({
      value: '198.51.100.23',
      items: expect.arrayContaining([expect.objectContaining({ alertId })]),
    });
  });

  it('creates a key into a 0600 file, lists keys without secrets, and revokes it (then 401: exit 4)', async () => {
    const file = join(home.dir, 'new.key');
    const created = await runCli(
      ['keys', 'create', '--role', 'reader', '--label', 'SOC wall', '-o', file, '--json'],
      as(org.keys.admin),
    );
    expect(created.code, created.stderr).toBe(0);
    const summary = JSON.parse(created.stdout);
    expect(summary).not.toHaveProperty('key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const secret = (await readFile(file, 'utf8')).trim();
    expect(created.stdout + created.stderr).not.toContain(secret);

    const list = await runCli(['keys', 'list'], as(org.keys.admin));
    expect(list.stdout).toContain(summary.id);
    expect(list.stdout).not.toContain(secret);
    expect((await runCli(['alerts', 'list'], as(secret))).code).toBe(0);
    expect((await runCli(['keys', 'revoke', summary.id], as(org.keys.admin))).code).toBe(0);
    expect((await runCli(['alerts', 'list'], as(secret))).code).toBe(4);
  });

  it('manages subscriptions', async () => {
    const created = await runCli(
      ['subscriptions', 'create', '--name', 'NL high', '--min-severity', 'high', '--json'],
      as(org.keys.reader),
    );
    expect(created.code, created.stderr).toBe(0);
    const sub = JSON.parse(created.stdout);
    expect(sub).toMatchObject({ name: 'NL high', filters: { minSeverity: 'high' } });
    const updated = await runCli(
      ['subscriptions', 'update', sub.id, '--name', 'NL all', '--json'],
      as(org.keys.reader),
    );
    expect(JSON.parse(updated.stdout)).toMatchObject({ name: 'NL all', filters: {} });
    const list = await runCli(['subscriptions', 'list', '--json'], as(org.keys.reader));
    expect(jsonLines(list.stdout).map((s) => s.id)).toContain(sub.id);
    expect((await runCli(['subscriptions', 'delete', sub.id], as(org.keys.reader))).code).toBe(0);
    expect((await runCli(['subscriptions', 'show', sub.id], as(org.keys.reader))).code).toBe(3);
  });

  it('sets the constituency from a file and shows it', async () => {
    const file = join(home.dir, 'constituency.json');
    await writeFile(
      file,
      JSON.stringify({ countries: ['nl'], asns: [64500], cidrs: ['203.0.113.77/24'], domains: ['Example.NL.'] }),
    );
    const set = await runCli(['constituency', 'set', file], as(org.keys.admin));
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('1 countries, 1 AS numbers, 1 CIDR blocks, 1 domains');
    const show = await runCli(['constituency', 'show', '--json'], as(org.keys.admin));
    expect(JSON.parse(show.stdout)).toMatchObject({
      countries: ['NL'],
      asns: ['AS64500'],
      cidrs: ['203.0.113.0/24'],
      domains: ['example.nl'],
    });
    const bad = join(home.dir, 'bad-constituency.json');
    await writeFile(bad, JSON.stringify({ cidrs: ['not a block'] }));
    const refused = await runCli(['constituency', 'set', bad], as(org.keys.admin));
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/^ {2}\/cidrs\/0: /m);
  });
});
