import type { InvitedUserView, Role, TocsinClient, UserView } from '@tocsin/client';
import { Argument, type Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import type { CommandContext } from '../context';
import { CliError } from '../errors';
import { ExitCode } from '../exit-codes';
import { shortTime } from '../output/alert-text';
import { safeText } from '../output/colors';
import { renderTable } from '../output/table';
import { choice } from '../program-helpers';
import { orgOrOwn, UUID } from './org-ref';

const ROLES = ['admin', 'vetter', 'operator', 'reader'] as const;

/** A user of the organisation given by id, or by its e-mail (any case). */
export async function resolveUserId(client: TocsinClient, orgId: string, ref: string): Promise<string> {
  if (UUID.test(ref)) {
    return ref;
  }
  const wanted = ref.trim().toLowerCase();
  const found = (await client.orgs.users.list(orgId)).find((u) => u.email.toLowerCase() === wanted);
  if (!found) {
    throw new CliError(
      `no user with the e-mail "${ref.slice(0, 254)}" in this organisation`,
      ExitCode.notFound,
      'list them with `tocsin users list`',
    );
  }
  return found.id;
}

function userLine(u: UserView): string {
  return `user ${u.id} (${safeText(u.email)}): ${u.role}, ${u.status}${u.secondFactor ? ', second factor' : ''}`;
}

/** Writes the invite link to `-o` (0600, a new file) or prints it once with a warning: it lets anyone in as the user. */
async function handOver(ctx: CommandContext, invited: InvitedUserView, f: { output?: string; json?: boolean }) {
  if (f.output !== undefined) {
    await writeFile(f.output, invited.inviteUrl + '\n', { mode: 0o600, flag: 'wx' });
  }
  if (f.json === true) {
    if (f.output !== undefined) {
      const { inviteToken: _t, inviteUrl: _u, ...rest } = invited;
      await ctx.print(JSON.stringify(rest));
    } else {
      await ctx.print(JSON.stringify(invited));
    }
    return;
  }
  await ctx.print(`${userLine(invited)}; the invite holds until ${shortTime(invited.inviteExpiresAt)}`);
  if (f.output !== undefined) {
    await ctx.print(`invite link written to ${f.output} (0600)`);
  } else {
    ctx.warn('the invite link below lets whoever holds it set the password: hand it to the person by a safe channel');
    await ctx.print(invited.inviteUrl);
  }
}

/** `tocsin users list|invite|reinvite|role|disable|enable|end-sessions|remove-totp`. */
export function registerUserCommands(program: Command, ctx: CommandContext): void {
  const users = program
    .command('users')
    .description('people of an organisation, signing in to the web console (its admins, or a hub admin)');
  const orgHelp = 'organisation id or exact name (default: the key’s own)';
  const userArg = ['<user>', 'the user’s id or e-mail'] as const;

  users
    .command('list')
    .description('the organisation’s users (never a password, code or token)')
    .option('--org <org>', orgHelp)
    .option('--json', 'one user per line (NDJSON)')
    .action(async (f: { org?: string; json?: boolean }) => {
      const { client } = await ctx.client();
      const list = await client.orgs.users.list(await orgOrOwn(client, f.org));
      if (f.json === true) {
        for (const u of list) {
          await ctx.print(JSON.stringify(u));
        }
        return;
      }
      await ctx.print(
        list.length === 0
          ? 'no users'
          : renderTable(
              ['id', 'e-mail', 'name', 'role', 'status', 'second factor', 'created'],
              list.map((u) => [
                u.id,
                safeText(u.email),
                safeText(u.name ?? ''),
                u.role,
                u.status,
                u.secondFactor ? 'yes' : 'no',
                shortTime(u.createdAt),
              ]),
              ctx.outColor,
            ),
      );
    });

  const withHandOver = (cmd: Command) =>
    cmd
      .option('--org <org>', orgHelp)
      .option('-o, --output <file>', 'write the invite link to this new file (0600) instead of printing it')
      .option('--json', 'the user and its invite as one JSON line (without the link when -o)');

  withHandOver(
    users
      .command('invite')
      .description('invite a person: the answer is an invite link, shown this once, to set a password')
      .argument('<email>', 'the person’s e-mail (unique across the hub)')
      .requiredOption('--role <role>', ROLES.join(', '), choice(ROLES))
      .option('--name <name>', 'the person’s name'),
  ).action(async (email: string, f: { role: Role; name?: string; org?: string; output?: string; json?: boolean }) => {
    const { client } = await ctx.client();
    const orgId = await orgOrOwn(client, f.org);
    const invited = await client.orgs.users.invite(orgId, {
      email,
      role: f.role,
      ...(f.name !== undefined ? { name: f.name } : {}),
    });
    await handOver(ctx, invited, f);
  });

  withHandOver(
    users
      .command('reinvite')
      .description('a new invite link for an existing user (a password reset; using it ends the user’s sessions)')
      .argument(...userArg),
  ).action(async (user: string, f: { org?: string; output?: string; json?: boolean }) => {
    const { client } = await ctx.client();
    const orgId = await orgOrOwn(client, f.org);
    await handOver(ctx, await client.orgs.users.reinvite(orgId, await resolveUserId(client, orgId, user)), f);
  });

  /** A command that changes one user and prints it. */
  const change = (
    name: string,
    description: string,
    run: (client: TocsinClient, orgId: string, userId: string, extra: string | undefined) => Promise<UserView>,
    extra?: Argument,
  ) => {
    const cmd = users
      .command(name)
      .description(description)
      .argument(...userArg);
    if (extra) {
      cmd.addArgument(extra);
    }
    cmd
      .option('--org <org>', orgHelp)
      .option('--json', 'the user as one JSON line')
      .action(async (...args: unknown[]) => {
        const user = args[0] as string;
        const extraValue = extra ? (args[1] as string) : undefined;
        const f = args[extra ? 2 : 1] as { org?: string; json?: boolean };
        const { client } = await ctx.client();
        const orgId = await orgOrOwn(client, f.org);
        const u = await run(client, orgId, await resolveUserId(client, orgId, user), extraValue);
        await ctx.print(f.json === true ? JSON.stringify(u) : userLine(u));
      });
  };

  change(
    'role',
    'give a user another role (it holds from the user’s next request)',
    (client, orgId, userId, role) => client.orgs.users.update(orgId, userId, { role: role as Role }),
    new Argument('<role>', ROLES.join(', ')).argParser(choice(ROLES)),
  );
  change('disable', 'disable a user: its sessions end and its sockets are cut (the row stays)', (client, o, u) =>
    client.orgs.users.disable(o, u),
  );
  change('enable', 'enable a disabled user again (it signs in with its password)', (client, o, u) =>
    client.orgs.users.update(o, u, { disabled: false }),
  );
  change(
    'remove-totp',
    'remove a user’s second factor and recovery codes (a lost phone): it enrols a new one at its next sign-in',
    (client, o, u) => client.orgs.users.removeSecondFactor(o, u),
  );

  users
    .command('end-sessions')
    .description('sign a user out everywhere: its sessions end and its sockets are cut')
    .argument(...userArg)
    .option('--org <org>', orgHelp)
    .option('--json', 'the answer as one JSON line')
    .action(async (user: string, f: { org?: string; json?: boolean }) => {
      const { client } = await ctx.client();
      const orgId = await orgOrOwn(client, f.org);
      const r = await client.orgs.users.endSessions(orgId, await resolveUserId(client, orgId, user));
      await ctx.print(f.json === true ? JSON.stringify(r) : `ended ${r.ended} session${r.ended === 1 ? '' : 's'}`);
    });
}
