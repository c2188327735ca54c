import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * Keeps a long import's heap near its live size. V8 lets dead objects pile up to two or three times
 * the live heap before a full collection; in an import every batch dies after a second in the old
 * generation, so the heap would swing up by ~150 MB on top of the ~160 MB the CLI's modules take,
 * past the 300 MB the import must stay under (issue #3). After a batch, when the heap holds more than
 * `limitBytes`, this collects.
 *
 * The collector is reached through V8's --expose-gc flag set at run time (what `node --expose-gc`
 * does at start-up); where that is unavailable the guard does nothing and V8's own timing applies.
 */
export class MemoryGuard {
  private readonly collect: (() => void) | null;

  constructor(private readonly limitBytes = 96 * 1024 * 1024) {
    this.collect = exposedCollector();
  }

  /** Collects garbage when the heap has grown past the limit; cheap to call after every batch. */
  check(): void {
    if (this.collect && process.memoryUsage().heapUsed > this.limitBytes) this.collect();
  }
}

function exposedCollector(): (() => void) | null {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
}
