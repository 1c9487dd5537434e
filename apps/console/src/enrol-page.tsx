// Second-factor enrolment for a user whose role requires one and who has none: the session may only enrol. The
// secret is shown as its otpauth:// URI (to paste or type into an authenticator app), the first code confirms it,
// and the recovery codes are shown once before the console opens.
import { useEffect, useState } from 'react';
import { currentSession, type Session } from './api';
import { confirmTotp, startTotp } from './api-enrol';
import { AppCodeInput, codeProblem, KeyQrCode, RecoveryCodeList } from './second-factor';
import './enrol.css';

interface Props {
  readonly session: Session;
  readonly onEnrolled: (s: Session) => void;
  readonly onSignOut: () => void;
}

export function EnrolPage({ session, onEnrolled, onSignOut }: Props): React.JSX.Element {
  const [uri, setUri] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<readonly string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    startTotp().then(
      (r) => setUri(r.otpauthUri),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, []);

  if (codes !== null) {
    return (
      <main className="login">
        <h1>Recovery codes</h1>
        <p>
          Your second factor is set. Keep these recovery codes somewhere safe: each works once in place of a code, and
          they are shown only now.
        </p>
        <RecoveryCodeList codes={codes} />
        <button
          type="button"
          onClick={() => {
            currentSession().then(
              (s) => (s === null ? onSignOut() : onEnrolled(s)),
              (e: unknown) => setError(String(e)),
            );
          }}
        >
          Continue to the console
        </button>
      </main>
    );
  }
  return (
    <main className="login">
      <h1>Set up your second factor</h1>
      <p>
        Signed in as <strong>{session.user.email}</strong> ({session.user.role}): this role needs an authenticator app
        before anything else.
      </p>
      {uri === null ? (
        error === null && <p>Preparing a secret…</p>
      ) : (
        <>
          <p>
            Add this key to your authenticator app (scan the QR code, or paste the URI, or type the secret it holds):
          </p>
          <KeyQrCode uri={uri} />
          <p className="enrol-uri">{uri}</p>
          <form
            aria-label="Confirm your second factor"
            onSubmit={(e) => {
              e.preventDefault();
              setBusy(true);
              setError(null);
              confirmTotp(code.trim()).then(
                (r) => {
                  setBusy(false);
                  setCodes(r.recoveryCodes);
                },
                (err: unknown) => {
                  setBusy(false);
                  const p = codeProblem(err);
                  setError(p.field ?? p.message);
                },
              );
            }}
          >
            <AppCodeInput id="enrol-code" label="Code from your authenticator app" value={code} onChange={setCode} />
            <button type="submit" disabled={busy}>
              Confirm
            </button>
          </form>
        </>
      )}
      {error !== null && (
        <p className="enrol-error" role="alert">
          {error}
        </p>
      )}
      <button type="button" onClick={onSignOut}>
        Sign out
      </button>
    </main>
  );
}
