// Step: at most cemcp.limits.maxConcurrentCalls calls of one run are past this point at once; the
// rest wait their turn in order. A waiting call costs the run wall time, never CPU. Once the run
// ends, waiting calls go no further.
import { runEnded, type CallStep } from './call-step.js';

export function runSlots(size: number, signal: AbortSignal): CallStep {
  const slots = createSlots(size);
  return async (call, next) => {
    if (!(await slots.acquire(signal))) return runEnded(call.target.callName);
    try {
      return await next(call);
    } finally {
      slots.release();
    }
  };
}

/** A counting semaphore: at most `size` holders at once, the rest queue in order; false once `signal` aborts. */
function createSlots(size: number): { acquire(signal: AbortSignal): Promise<boolean>; release(): void } {
  let free = size;
  const waiting: ((granted: boolean) => void)[] = [];
  return {
    acquire(signal) {
      if (signal.aborted) return Promise.resolve(false);
      if (free > 0) {
        free--;
        return Promise.resolve(true);
      }
      return new Promise((resolve) => {
        const onAbort = () => {
          const at = waiting.indexOf(grant);
          if (at !== -1) waiting.splice(at, 1);
          resolve(false);
        };
        const grant = (granted: boolean) => {
          signal.removeEventListener('abort', onAbort);
          resolve(granted);
        };
        waiting.push(grant);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
    release() {
      const next = waiting.shift();
      if (next) next(true);
      else free++;
    },
  };
}
