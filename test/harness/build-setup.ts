import { buildOnce } from './processes';

/** The e2e tier starts real processes from dist/: build it once per run, before any file starts. */
export default function setup(): void {
  buildOnce();
}
