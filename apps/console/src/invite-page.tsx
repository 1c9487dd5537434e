// The page an invite link opens (`/invite#<token>`, redirected to /console/invite): the new user sets a password,
// then signs in. The token stays in the fragment, which the browser never sends; it is taken off the address bar.
import { useState } from 'react';
import { ProblemError } from './api';
import { acceptInvite } from './api-enrol';
import { BASE, onLinkClick } from './router';
import './enrol.css';

function readToken(): string {
  const token = decodeURIComponent(window.location.hash.replace(/^#/, ''));
  if (token !== '') {
    window.history.replaceState(null, '', window.location.pathname);
  }
  return token;
}

export function InvitePage(): React.JSX.Element {
  const [token] = useState(readToken);
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(token === '' ? 'This link holds no invite.' : null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  if (done) {
    return (
      <main className="login">
        <h1>Password set</h1>
        <p role="status">Your password is set. Sign in with your e-mail and this password.</p>
        <a href={BASE} onClick={onLinkClick}>
          Sign in
        </a>
      </main>
    );
  }
  return (
    <main className="login">
      <h1>Accept your invite</h1>
      <form
        aria-label="Set your password"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          setFieldError(null);
          acceptInvite(token, password).then(
            () => {
              setBusy(false);
              setDone(true);
            },
            (err: unknown) => {
              setBusy(false);
              if (err instanceof ProblemError) {
                const onPassword = err.errors.filter((f) => f.pointer === '/password').map((f) => f.detail);
                if (onPassword.length > 0) {
                  setFieldError(onPassword.join('; '));
                  return;
                }
                setError(err.code === 'invite-not-found' ? 'This invite is unknown, used or expired.' : err.message);
                return;
              }
              setError('The password could not be set.');
            },
          );
        }}
      >
        <label htmlFor="invite-password">New password (at least 12 characters, not a common one)</label>
        <input
          id="invite-password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          aria-invalid={fieldError !== null}
          aria-describedby={fieldError !== null ? 'invite-password-error' : undefined}
          onChange={(e) => setPassword(e.target.value)}
        />
        {fieldError !== null && (
          <p id="invite-password-error" className="enrol-error" role="alert">
            Password: {fieldError}
          </p>
        )}
        {error !== null && (
          <p className="enrol-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || token === ''}>
          Set password
        </button>
      </form>
    </main>
  );
}
