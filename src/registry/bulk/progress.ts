import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr, shown only on a terminal and not with --json (so stdout stays
 * machine-readable and logs stay clean); a no-op otherwise.
 */
export function progressBar(label: string, unit: string, enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted}`,
      hideCursor: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let running = false;
  return {
    update(done, total) {
      if (!running) {
        bar.start(total, 0, { rate: 0 });
        running = true;
      }
      bar.setTotal(total);
      bar.update(done, { rate: Math.round(done / Math.max((performance.now() - started) / 1000, 0.001)) });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
