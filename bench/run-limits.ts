// The run limits of the bench's in-process executes: roomy enough that no measured program hits
// one, so what is timed is the gateway's own work.
import type { RuntimeLimits } from '../src/runtime/index.js';

export const BENCH_LIMITS: RuntimeLimits = {
  cpuMs: 5_000, wallMs: 10_000, memoryBytes: 64 << 20, stackBytes: 256 << 10, maxLogBytes: 64 << 10,
  maxResultBytes: 1 << 20, maxToolCalls: 200, toolCallTimeoutMs: 5_000, maxConcurrentCalls: 8, maxToolResultBytes: 1 << 20,
};
