// What the enrolment page and the account page share of a second factor: the new key as a QR code, the field of a
// code from the app, the list of recovery codes shown once, and the hub's reason for a refused code.
import qrcode from 'qrcode-generator';
import { useMemo } from 'react';
import { ProblemError } from './api';

/** The QR code's dark modules of `text` (error correction M, the smallest version that holds it), row by row. */
export function qrModules(text: string): boolean[][] {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.isDark(r, c)));
}

/**
 * The otpauth:// URI as a QR code for an authenticator app to scan: an SVG built as elements (one path), so the
 * page's CSP needs neither inline markup nor data: images. The URI is shown beside it in text too.
 */
export function KeyQrCode({ uri }: { readonly uri: string }): React.JSX.Element {
  const { size, d } = useMemo(() => {
    const modules = qrModules(uri);
    const parts: string[] = [];
    modules.forEach((row, r) =>
      row.forEach((dark, c) => {
        if (dark) {
          parts.push(`M${c + 4} ${r + 4}h1v1h-1z`);
        }
      }),
    );
    // A quiet zone of 4 modules on each side, as the standard asks.
    return { size: modules.length + 8, d: parts.join('') };
  }, [uri]);
  return (
    <svg
      className="enrol-qr"
      role="img"
      aria-label="QR code of the new key"
      viewBox={`0 0 ${size} ${size}`}
      width={size * 4}
      height={size * 4}
      shapeRendering="crispEdges"
      data-modules={size - 8}
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}

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
