/** A small, valid native submission; override any field. */
export function buildAlert(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: `Botnet C2 ${Math.random().toString(36).slice(2, 8)}`,
    description: 'Controllers seen steering hosts in several constituencies',
    severity: 'high',
    tlp: 'GREEN',
    indicators: [
      { type: 'ipv4', value: '198.51.100.23' },
      { type: 'domain', value: 'C2.Example.NET.' },
    ],
    ...overrides,
  };
}
