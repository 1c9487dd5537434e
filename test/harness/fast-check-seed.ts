import fc from 'fast-check';

/**
 * Property tests explore new inputs on every local run; CI pins the seed (`.ci/run` sets TOCSIN_FC_SEED) so that a
 * run is reproducible and a landing is never decided by the luck of a draw. A failure prints its seed and path either
 * way: re-run with `TOCSIN_FC_SEED=<seed>` to replay it.
 */
const seed = process.env.TOCSIN_FC_SEED;
if (seed !== undefined && seed !== '') {
  if (!/^-?\d+$/.test(seed)) {
    throw new Error(`TOCSIN_FC_SEED must be an integer (got ${JSON.stringify(seed)})`);
  }
  fc.configureGlobal({ seed: Number(seed) });
}
