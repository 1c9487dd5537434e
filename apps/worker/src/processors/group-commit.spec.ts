import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit';

const tick = () => new Promise((r) => setImmediate(r));

describe(GroupCommit.name, () => {
  it('runs jobs handed in together as one group, and later ones as the next group once it is done', async () => {
    const groups: number[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const gc = new GroupCommit<number, string>(10, async (jobs) => {
      groups.push([...jobs]);
      if (groups.length === 1) {
        await gate;
      }
      return jobs.map((j) => `done ${j}`);
    });
    const first = [1, 2, 3].map((j) => gc.submit(j));
    await tick();
    const later = [4, 5].map((j) => gc.submit(j));
    await tick();
    expect(groups).toEqual([[1, 2, 3]]);
    release();
    expect(await Promise.all([...first, ...later])).toEqual(['done 1', 'done 2', 'done 3', 'done 4', 'done 5']);
    expect(groups).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('keeps at most `parallel` groups in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const gc = new GroupCommit<number, number>(
      1,
      async (jobs) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
        return [...jobs];
      },
      2,
    );
    expect(await Promise.all([1, 2, 3, 4, 5].map((j) => gc.submit(j)))).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
  });

  it('never puts more than `max` jobs in one group', async () => {
    const groups: number[][] = [];
    const gc = new GroupCommit<number, number>(2, (jobs) => {
      groups.push([...jobs]);
      return Promise.resolve([...jobs]);
    });
    await Promise.all([1, 2, 3, 4, 5].map((j) => gc.submit(j)));
    expect(groups).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('settles a job only after its group ran; a failed group is run again job by job, so one bad job fails alone', async () => {
    const runs: number[][] = [];
    const gc = new GroupCommit<number, number>(10, (jobs) => {
      runs.push([...jobs]);
      return jobs.includes(2) ? Promise.reject(new Error('bad job')) : Promise.resolve(jobs.map((j) => j * 10));
    });
    const results = await Promise.allSettled([1, 2, 3].map((j) => gc.submit(j)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[0]).toMatchObject({ value: 10 });
    expect(results[2]).toMatchObject({ value: 30 });
    expect(runs).toEqual([[1, 2, 3], [1], [2], [3]]);
  });
});
