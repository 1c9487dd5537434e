import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/** picocolors with colour on or off (decided once per stream, see colorEnabled). */
export function makeColors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}

/**
 * Text from the hub (titles, names, reasons: written by other organisations) made safe for a terminal: control
 * characters (ANSI escapes included) and bidirectional overrides are shown as `?`, so a title cannot move the
 * cursor, recolour, or reorder what follows it.
 */
export function safeText(s: string | number | null | undefined): string {
  const text = s === null || s === undefined ? '' : String(s);
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '?');
}

/** TLP 2.0 label in its official colours (on black) when colour is on: `TLP:AMBER`. */
export function tlpLabel(c: Colors, tlp: string | null | undefined): string {
  const label = `TLP:${safeText(tlp ?? '?')}`;
  switch (tlp ?? '') {
    case 'RED':
      return c.bgBlack(c.bold(c.redBright(label)));
    case 'AMBER':
    case 'AMBER+STRICT':
      return c.bgBlack(c.bold(c.yellow(label)));
    case 'GREEN':
      return c.bgBlack(c.bold(c.greenBright(label)));
    case 'CLEAR':
      return c.bgBlack(c.bold(c.whiteBright(label)));
    default:
      return label;
  }
}

/** Severity, upper-cased and coloured by how urgent it is. */
export function severityLabel(c: Colors, severity: string | null | undefined): string {
  const label = safeText(severity ?? '?').toUpperCase();
  switch (severity ?? '') {
    case 'critical':
      return c.bold(c.magenta(label));
    case 'high':
      return c.bold(c.red(label));
    case 'medium':
      return c.yellow(label);
    case 'low':
      return c.cyan(label);
    default:
      return label;
  }
}

/** An alert status, green when published, red when rejected or revoked, yellow while waiting. */
export function statusLabel(c: Colors, status: string | null | undefined): string {
  const label = safeText(status ?? '?');
  switch (status ?? '') {
    case 'published':
      return c.green(label);
    case 'rejected':
    case 'revoked':
      return c.red(label);
    case 'pending_review':
      return c.yellow(label);
    default:
      return label;
  }
}
