// The signed-in user's own account: who it is, and its second factor, set up or replaced (a new phone). Replacing
// asks first for a current code of the factor or a recovery code; the hub ends the user's other sessions once the new
// factor is confirmed, and the new recovery codes are shown once.
import { useState } from 'react';
import { currentSession, type Session } from './api';
import { confirmTotp, startTotp } from './api-enrol';
import { AppCodeInput, codeProblem, KeyQrCode, RecoveryCodeList } from './second-factor';
import './enrol.css';

interface Props {
  readonly session: Session;
  /** The session as the hub now tells it (after a factor was set up), for the rest of the console. */
  readonly onSessionChanged: (s: Session) => void;
}

type Step =
  | { readonly kind: 'idle' }
  | { readonly kind: 'offered'; readonly uri: string; readonly replacing: boolean }
  | { readonly kind: 'done'; readonly codes: readonly string[]; readonly replacing: boolean };

/** The reason the hub gave for the code, else the error's message. */
function reason(err: unknown): string {
  const p = codeProblem(err);
  return p.field !== null ? `The code ${p.field}.` : p.message;
}

export function AccountPage({ session, onSessionChanged }: Props): React.JSX.Element {
  const [secondFactor, setSecondFactor] = useState(session.secondFactor);
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [current, setCurrent] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = <T,>(p: Promise<T>, then: (v: T) => void): void => {
    setBusy(true);
    setError(null);
    p.then(
      (v) => {
        setBusy(false);
        then(v);
      },
      (err: unknown) => {
        setBusy(false);
        setError(reason(err));
      },
    );
  };

  return (
    <section className="account" aria-label="Your account">
      <h1>Your account</h1>
      <p>
        <strong>{session.user.email}</strong>, {session.user.role}
      </p>
      <h2>Second factor</h2>
      <p>
        {secondFactor
          ? 'An authenticator app is set up: a code of it is asked at each sign-in.'
          : 'No authenticator app is set up.'}
      </p>
      {step.kind === 'idle' && (
        <form
          aria-label={secondFactor ? 'Replace your second factor' : 'Set up a second factor'}
          onSubmit={(e) => {
            e.preventDefault();
            run(startTotp(secondFactor ? current.trim() : undefined), (r) =>
              setStep({ kind: 'offered', uri: r.otpauthUri, replacing: r.replacing }),
            );
          }}
        >
          {secondFactor && (
            <>
              <p>A new phone? Prove the factor you have first:</p>
              <label htmlFor="account-current">A current code of your app, or a recovery code</label>
              <input
                id="account-current"
                autoComplete="one-time-code"
                required
                value={current}
                onChange={(e) => setCurrent(e.target.value)}
              />
            </>
          )}
          <button type="submit" disabled={busy}>
            {secondFactor ? 'Replace second factor' : 'Set up a second factor'}
          </button>
        </form>
      )}
      {step.kind === 'offered' && (
        <>
          <p>
            Add this key to your authenticator app (scan the QR code, or paste the URI, or type the secret it holds).
            {step.replacing && ' Until you confirm it, your current app and recovery codes still work.'}
          </p>
          <KeyQrCode uri={step.uri} />
          <p className="enrol-uri">{step.uri}</p>
          <form
            aria-label="Confirm the new second factor"
            onSubmit={(e) => {
              e.preventDefault();
              run(confirmTotp(code.trim()), (r) => {
                setSecondFactor(true);
                setStep({ kind: 'done', codes: r.recoveryCodes, replacing: step.replacing });
                currentSession().then(
                  (s) => s !== null && onSessionChanged(s),
                  () => undefined, // the next page load reads it again
                );
              });
            }}
          >
            <AppCodeInput id="account-code" label="Code from the new key in your app" value={code} onChange={setCode} />
            <button type="submit" disabled={busy}>
              Confirm
            </button>
          </form>
        </>
      )}
      {step.kind === 'done' && (
        <>
          <p role="status">
            {step.replacing
              ? 'Your second factor is replaced: the old app and recovery codes no longer work, and your other sessions were signed out.'
              : 'Your second factor is set.'}{' '}
            Keep these recovery codes somewhere safe: each works once in place of a code, and they are shown only now.
          </p>
          <RecoveryCodeList codes={step.codes} />
        </>
      )}
      {error !== null && (
        <p className="enrol-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
