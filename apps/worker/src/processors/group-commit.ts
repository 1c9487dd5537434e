/**
 * Group commit for jobs that can share one transaction: a job handed in while `parallel` groups are being committed
 * waits for the next group, so under load groups grow by themselves (up to `max`) and an idle worker runs a lone job
 * at once (after the current tick, so jobs BullMQ hands over together share it). Each job's promise settles only
 * after its group's transaction did: a job is completed only once its work is committed. When a group fails,
 * its jobs are run again one by one, so one bad job fails alone.
 */
export class GroupCommit<J, R> {
  private pending: { job: J; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly max: number,
    /** Runs one group in one transaction; answers each job's result, in the jobs' order. */
    private readonly run: (jobs: readonly J[]) => Promise<readonly R[]>,
    /** Groups in flight at once (one's statements overlap another's wait for the publish lock). */
    private readonly parallel = 1,
  ) {}

  submit(job: J): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ job, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running >= this.parallel || this.scheduled || this.pending.length === 0) {
      return;
    }
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.running >= this.parallel || this.pending.length === 0) {
      return;
    }
    this.running += 1;
    const group = this.pending.splice(0, this.max);
    this.schedule();
    try {
      await this.settle(group);
    } finally {
      this.running -= 1;
      this.schedule();
    }
  }

  private async settle(group: typeof this.pending): Promise<void> {
    try {
      const results = await this.run(group.map((g) => g.job));
      group.forEach((g, i) => g.resolve(results[i] as R));
    } catch (e) {
      if (group.length === 1) {
        group[0]?.reject(e);
        return;
      }
      for (const g of group) {
        await this.settle([g]);
      }
    }
  }
}
