import { TocsinProblem } from '@tocsin/client';
import { describe, expect, it } from 'vitest';
import { retryOnceWhenBusy } from './retry';

const problem = (status: number, retryAfterSeconds?: number) =>
  new TocsinProblem({
    status,
    type: 'urn:tocsin:problem:x',
    code: 'x',
    title: 'x',
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });

describe(retryOnceWhenBusy.name, () => {
  it('waits the Retry-After of a 429 and tries once more', async () => {
    const waits: number[] = [];
    let calls = 0;
    const r = await retryOnceWhenBusy(
      () => (++calls === 1 ? Promise.reject(problem(429, 3)) : Promise.resolve('ok')),
      undefined,
      (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    );
    expect(r).toBe('ok');
    expect(waits).toEqual([3000]);
  });

  it('gives up after the one retry, and never retries other failures or long waits', async () => {
    const noWait = () => Promise.resolve();
    let calls = 0;
    await expect(retryOnceWhenBusy(() => (calls++, Promise.reject(problem(503))), undefined, noWait)).rejects.toThrow(
      TocsinProblem,
    );
    expect(calls).toBe(2);
    calls = 0;
    await expect(retryOnceWhenBusy(() => (calls++, Promise.reject(problem(400))), undefined, noWait)).rejects.toThrow();
    await expect(
      retryOnceWhenBusy(() => (calls++, Promise.reject(problem(429, 3600))), undefined, noWait),
    ).rejects.toThrow();
    expect(calls).toBe(2);
  });
});
