// A benchmark baseline, NOT for serving: the same QuickJS runs as the worker engine, but on the
// caller's own thread. It measures what the out-of-loop isolation costs; it cannot protect the
// event loop from a runaway native call and has no host watchdog. Exported for bench/ only.
import { SharedCpuClock } from './cpu-clock.js';
import type { Engine, HostBridge, LogEntry, RunOutcome, RunRequest } from './engine.js';
import { createGuestInstance, GuestMemory } from './guest-instance.js';
import { prepareGuest } from './guest-kit.js';
import { GuestRun } from './guest-run.js';
import { planMemory } from './guest-sizing.js';
import { compileQuickJsWasm } from './quickjs-engine.js';
import { forwardLogs, relay } from './worker-slot.js';

/** On the main thread Node's own stack is small: QuickJS gets 32 KiB (see ENGINES.md). */
const MAIN_THREAD_GUEST_STACK_BYTES = 32 * 1024;

export function createInlineQuickJsEngine(options: { readonly maxArgumentBytes?: number } = {}): Engine {
  const cpuClock = new SharedCpuClock();
  let runSeq = 0;
  return {
    async run(request: RunRequest, bridge: HostBridge): Promise<RunOutcome> {
      const module = await compileQuickJsWasm();
      const instance = prepareGuest(await createGuestInstance(module, new GuestMemory(planMemory(request.limits.memoryBytes))));
      const runId = ++runSeq;
      const { code, filename, api, forms, library, limits } = request;
      const run: GuestRun = new GuestRun({ type: 'run', runId, code, filename, api, ...(forms ? { forms } : {}), ...(library ? { library } : {}), limits }, {
        instance,
        maxGuestStackBytes: MAIN_THREAD_GUEST_STACK_BYTES,
        maxArgumentBytes: options.maxArgumentBytes ?? 8 * 2 ** 20,
        cpuClock,
        sendCall: (id, callId, namespace, fn, argsJson) => {
          void relay(bridge, namespace, fn, argsJson).then((reply) => run.receive({ ...reply, runId: id, callId }));
        },
        ...(bridge.log ? { sendLogs: (_id: number, entries: readonly LogEntry[]) => forwardLogs(bridge, entries) } : {}),
      });
      const { outcome } = await run.execute();
      return outcome;
    },
    async close() {},
  };
}
