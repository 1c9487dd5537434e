import { useCallback, useEffect, useState } from 'react';
import { Button, Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { fieldErrors, message } from './admin-orgs';
import {
  changeUserRole,
  createKey,
  disableUser,
  enableUser,
  endUserSessions,
  inviteUser,
  listKeys,
  listUsers,
  reinviteUser,
  removeSecondFactor,
  revokeKey,
  type CreatedKey,
  type InvitedUserView,
  type KeySummary,
  type OrgView,
  type Role,
  type UserView,
} from './api-admin';

const ROLES: readonly Role[] = ['reader', 'operator', 'vetter', 'admin'];

/** A secret shown this once: a warning, the value, a copy button. */
function ShownOnce({
  title,
  value,
  warning,
  onDone,
}: {
  title: string;
  value: string;
  warning: string;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <div className="shown-once">
      <h3>{title}</h3>
      <p className="warning">{warning}</p>
      <label htmlFor="shown-once-value">{title}</label>
      <input id="shown-once-value" readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
      <button
        type="button"
        onClick={() => {
          navigator.clipboard.writeText(value).then(
            () => setCopied('Copied to the clipboard.'),
            () => setCopied('The browser refused the clipboard: select the field and copy it.'),
          );
        }}
      >
        Copy
      </button>
      <button type="button" onClick={onDone}>
        Done
      </button>
      {copied !== null && <p role="status">{copied}</p>}
    </div>
  );
}

/**
 * A button whose action cannot be undone at once asks first, in a modal alert dialog (react-aria: focus held inside,
 * Escape or Cancel closes it, Cancel focused first).
 */
function ConfirmAction({
  label,
  title,
  body,
  confirm,
  onConfirm,
}: {
  label: string;
  title: string;
  body: string;
  confirm: string;
  onConfirm: () => void;
}) {
  return (
    <DialogTrigger>
      <Button>{label}</Button>
      <ModalOverlay isDismissable className="confirm-overlay">
        <Modal className="confirm-modal">
          <Dialog role="alertdialog" className="confirm-dialog">
            {({ close }) => (
              <>
                <Heading slot="title">{title}</Heading>
                <p>{body}</p>
                <div className="confirm-actions">
                  <Button autoFocus onPress={close}>
                    Cancel
                  </Button>
                  <Button
                    onPress={() => {
                      close();
                      onConfirm();
                    }}
                  >
                    {confirm}
                  </Button>
                </div>
              </>
            )}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}

function UserRow({
  orgId,
  user,
  onChanged,
  onInvited,
}: {
  orgId: string;
  user: UserView;
  onChanged: (u: UserView) => void;
  onInvited: (u: InvitedUserView) => void;
}) {
  const [role, setRole] = useState<Role>(user.role);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => setRole(user.role), [user.role]);
  const act = (p: Promise<string>): void => {
    setNote(null);
    p.then(setNote, (e: unknown) => setNote(message(e)));
  };
  /** A change of the user: the row shows the user as the hub answered it, and `note`. */
  const change = (p: Promise<UserView>, note: (u: UserView) => string): void =>
    act(
      p.then((u) => {
        onChanged(u);
        return note(u);
      }),
    );
  const roleId = `role-${user.id}`;
  return (
    <tr>
      <td>{user.email}</td>
      <td>{user.role}</td>
      <td>{user.status}</td>
      <td>{user.secondFactor ? 'yes' : 'no'}</td>
      <td className="row-actions">
        <label htmlFor={roleId}>Role of {user.email}</label>
        <select id={roleId} value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        <button
          type="button"
          disabled={role === user.role}
          onClick={() => change(changeUserRole(orgId, user.id, role), (u) => `Role changed to ${u.role}.`)}
        >
          Change role of {user.email}
        </button>
        {user.status === 'disabled' ? (
          <button
            type="button"
            onClick={() => change(enableUser(orgId, user.id), () => 'Enabled again: it signs in with its password.')}
          >
            Enable {user.email}
          </button>
        ) : (
          <ConfirmAction
            label={`Disable ${user.email}`}
            title={`Disable ${user.email}?`}
            body="Its sessions end at once and its sockets are cut; it cannot sign in until enabled again."
            confirm="Disable user"
            onConfirm={() => change(disableUser(orgId, user.id), () => 'Disabled; its sessions ended.')}
          />
        )}
        <button
          type="button"
          disabled={user.status === 'disabled'}
          onClick={() =>
            act(
              reinviteUser(orgId, user.id).then((u) => {
                onInvited(u);
                return 'A new invite link is shown above; using it ends the user’s sessions.';
              }),
            )
          }
        >
          New invite link for {user.email}
        </button>
        <button
          type="button"
          disabled={!user.secondFactor}
          onClick={() =>
            change(
              removeSecondFactor(orgId, user.id),
              () => 'Second factor removed: the user sets up a new one at its next sign-in.',
            )
          }
        >
          Remove second factor of {user.email}
        </button>
        <button
          type="button"
          onClick={() => act(endUserSessions(orgId, user.id).then((r) => `${r.ended} session(s) ended.`))}
        >
          End sessions of {user.email}
        </button>
        {note !== null && <span role="status">{note}</span>}
      </td>
    </tr>
  );
}

/**
 * The users of the admin's own organisation: invite, change role, disable and enable, a new invite link (a password
 * reset), remove a lost second factor, end sessions.
 */
export function UsersPanel({ org }: { org: OrgView }) {
  const [users, setUsers] = useState<UserView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('reader');
  const [refused, setRefused] = useState<{ email: string[]; role: string[]; other: string | null }>({
    email: [],
    role: [],
    other: null,
  });
  const [invited, setInvited] = useState<InvitedUserView | null>(null);
  const load = useCallback(() => {
    listUsers(org.id).then(
      (p) => setUsers(p.items),
      (e: unknown) => setError(message(e)),
    );
  }, [org.id]);
  useEffect(load, [load]);
  const replace = (u: UserView): void => setUsers((old) => (old ?? []).map((x) => (x.id === u.id ? u : x)));

  return (
    <section aria-labelledby="users-heading">
      <h2 id="users-heading">Users of {org.name}</h2>
      <form
        className="admin-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setInvited(null);
          inviteUser(org.id, email.trim(), role).then(
            (u) => {
              setInvited(u);
              setEmail('');
              setRefused({ email: [], role: [], other: null });
              load();
            },
            (err: unknown) => {
              const byField = { email: fieldErrors(err, '/email'), role: fieldErrors(err, '/role') };
              setRefused({
                ...byField,
                other: byField.email.length + byField.role.length === 0 ? message(err) : null,
              });
            },
          );
        }}
      >
        <h3>Invite a user</h3>
        <label htmlFor="invite-email">E-mail of the new user</label>
        <input
          id="invite-email"
          type="email"
          value={email}
          aria-invalid={refused.email.length > 0}
          aria-describedby={refused.email.length > 0 ? 'invite-email-error' : undefined}
          onChange={(e) => setEmail(e.target.value)}
        />
        {refused.email.length > 0 && (
          <p id="invite-email-error" className="field-error">
            {refused.email.join(' ')}
          </p>
        )}
        <label htmlFor="invite-role">Role of the new user</label>
        <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        {refused.role.length > 0 && <p className="field-error">{refused.role.join(' ')}</p>}
        <button type="submit">Invite</button>
        {refused.other !== null && <p role="alert">{refused.other}</p>}
      </form>
      {invited !== null && (
        <ShownOnce
          title={`Invite link for ${invited.email}`}
          value={invited.inviteUrl}
          warning={`Send this link to ${invited.email} yourself: it is shown this once, works once, and expires at ${invited.inviteExpiresAt}.`}
          onDone={() => setInvited(null)}
        />
      )}
      {error !== null && <p role="alert">{error}</p>}
      {users === null && error === null && <p>Loading…</p>}
      {users !== null && (
        <table>
          <caption>Users of {org.name}</caption>
          <thead>
            <tr>
              <th scope="col">E-mail</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Second factor</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <UserRow key={u.id} orgId={org.id} user={u} onChanged={replace} onInvited={setInvited} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The organisation's API keys: create (the secret shown once), list, revoke. */
export function KeysPanel({ org }: { org: OrgView }) {
  const [keys, setKeys] = useState<KeySummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [role, setRole] = useState<Role>('operator');
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [refused, setRefused] = useState<string[]>([]);
  const load = useCallback(() => {
    listKeys(org.id).then(
      (p) => setKeys(p.items),
      (e: unknown) => setError(message(e)),
    );
  }, [org.id]);
  useEffect(load, [load]);

  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">API keys of {org.name}</h2>
      <form
        className="admin-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setCreated(null);
          createKey(org.id, role, label).then(
            (k) => {
              setCreated(k);
              setLabel('');
              setRefused([]);
              load();
            },
            (err: unknown) => {
              const fields = [...fieldErrors(err, '/label'), ...fieldErrors(err, '/role')];
              setRefused(fields.length > 0 ? fields : [message(err)]);
            },
          );
        }}
      >
        <h3>Create a key</h3>
        <label htmlFor="key-role">Role of the key</label>
        <select id="key-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        <label htmlFor="key-label">Label (optional)</label>
        <input
          id="key-label"
          value={label}
          maxLength={100}
          aria-invalid={refused.length > 0}
          aria-describedby={refused.length > 0 ? 'key-refused' : undefined}
          onChange={(e) => setLabel(e.target.value)}
        />
        {refused.length > 0 && (
          <p id="key-refused" role="alert" className="field-error">
            {refused.join(' ')}
          </p>
        )}
        <button type="submit">Create key</button>
      </form>
      {created !== null && (
        <ShownOnce
          title={`New ${created.role} key`}
          value={created.key}
          warning="Copy this key now: it is shown this once and never again (the hub keeps only its hash)."
          onDone={() => setCreated(null)}
        />
      )}
      {error !== null && <p role="alert">{error}</p>}
      {keys === null && error === null && <p>Loading…</p>}
      {keys !== null && (
        <table>
          <caption>API keys of {org.name}</caption>
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">Revoked</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id}>
                <td>{k.label ?? `(no label) ${k.id.slice(0, 8)}`}</td>
                <td>{k.role}</td>
                <td>{k.createdAt}</td>
                <td>{k.revokedAt ?? '—'}</td>
                <td>
                  {k.revokedAt === null && (
                    <ConfirmAction
                      label={`Revoke ${k.label ?? k.id.slice(0, 8)}`}
                      title={`Revoke the ${k.role} key ${k.label ?? k.id.slice(0, 8)}?`}
                      body="Every request with it is refused at once and its sockets are cut. A revoked key cannot be restored: a new one must be created and handed over."
                      confirm="Revoke key"
                      onConfirm={() => {
                        revokeKey(org.id, k.id).then(load, (e: unknown) => setError(message(e)));
                      }}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
