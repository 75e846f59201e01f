// A run's CPU clock, shared by a worker and its host through a SharedArrayBuffer: the worker marks
// when guest code starts and stops running; the host's watchdog reads it, so a worker stuck in one
// long native call (which QuickJS's interrupt check never reaches) is stopped near cpuMs, not wallMs.

const epochMs = (): number => performance.timeOrigin + performance.now();
const toMicros = (ms: number): bigint => BigInt(Math.round(ms * 1_000));

export class SharedCpuClock {
  // [0]: when the current stretch of guest code started (epoch µs), 0 when none runs;
  // [1]: CPU µs used before that stretch. Atomics keep each read whole.
  private readonly cells: BigInt64Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(16)) {
    this.cells = new BigInt64Array(buffer);
  }

  /** Worker: guest code starts running now, after `usedMs` of CPU time so far. */
  enter(usedMs: number): void {
    Atomics.store(this.cells, 1, toMicros(usedMs));
    Atomics.store(this.cells, 0, toMicros(epochMs()));
  }

  /** Worker: guest code stopped; it has used `usedMs` in all. Also resets the clock (0). */
  leave(usedMs: number): void {
    Atomics.store(this.cells, 0, 0n);
    Atomics.store(this.cells, 1, toMicros(usedMs));
  }

  /** Host: CPU time the run has used so far, counting the stretch in progress. */
  usedMs(): number {
    const start = Atomics.load(this.cells, 0);
    const used = Number(Atomics.load(this.cells, 1)) / 1_000;
    return start === 0n ? used : used + (epochMs() - Number(start) / 1_000);
  }
}
