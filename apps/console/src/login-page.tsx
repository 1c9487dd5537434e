import { useState } from 'react';
import { ProblemError, signIn, type Session } from './api';

interface Props {
  readonly onSignedIn: (s: Session) => void;
}

export function LoginPage({ onSignedIn }: Props): React.JSX.Element {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsTotp, setNeedsTotp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (e: React.FormEvent): void => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    signIn(email, password, needsTotp ? totp : undefined).then(
      (s) => {
        setBusy(false);
        onSignedIn(s);
      },
      (err: unknown) => {
        setBusy(false);
        if (err instanceof ProblemError && err.code === 'second-factor-required') {
          setNeedsTotp(true);
          setError('Enter the code from your authenticator app.');
          return;
        }
        setError(err instanceof ProblemError ? err.message : 'Sign-in failed.');
      },
    );
  };

  return (
    <main className="login">
      <h1>Tocsin</h1>
      <form onSubmit={submit} aria-label="Sign in">
        <label>
          E-mail
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {needsTotp && (
          <label>
            Authentication code
            <input
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              value={totp}
              onChange={(e) => setTotp(e.target.value)}
            />
          </label>
        )}
        {error !== null && <p role="alert">{error}</p>}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
