// Waits on the pipeline's state in PostgreSQL, for e2e tests that must know a background step has committed.
import type { Client } from 'pg';
import { expect } from 'vitest';
import { eventually } from './eventually';

/**
 * Waits until the worker has correlated the alert (the step after publication, in its own job): corroboration of the
 * alerts it links to and the coordinated-alert step have committed.
 */
export async function correlated(sql: Client, id: string): Promise<void> {
  await eventually(async () => {
    const { rows } = await sql.query<{ correlated_at: Date | null }>('SELECT correlated_at FROM alerts WHERE id = $1', [
      id,
    ]);
    expect(rows[0]?.correlated_at ?? null).not.toBeNull();
  }, 30_000);
}
