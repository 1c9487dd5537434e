// What the enrolment page and the account page share of a second factor: the field of a code from the app, the list
// of recovery codes shown once, and the hub's reason for a refused code.
import { ProblemError } from './api';

/** The field of a 6-digit code from the authenticator app. */
export function AppCodeInput(props: {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onChange: (v: string) => void;
}): React.JSX.Element {
  return (
    <>
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        inputMode="numeric"
        autoComplete="one-time-code"
        required
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </>
  );
}

/** The ten recovery codes, shown once. */
export function RecoveryCodeList({ codes }: { readonly codes: readonly string[] }): React.JSX.Element {
  return (
    <ul className="recovery-codes" aria-label="Recovery codes">
      {codes.map((c) => (
        <li key={c}>{c}</li>
      ))}
    </ul>
  );
}

/** What the hub said of the `code` field (`is not a current code …`), else the error's message. */
export function codeProblem(err: unknown): { field: string | null; message: string } {
  const field = err instanceof ProblemError ? (err.errors.find((f) => f.pointer === '/code')?.detail ?? null) : null;
  return { field, message: err instanceof Error ? err.message : String(err) };
}
