// Entry point of a sandbox worker thread (loaded as dist/sandbox/worker-entry.js). Runs one
// program at a time, each in a fresh QuickJS instance, and prepares the next instance while idle.
// Talks to the host only through worker-protocol.ts messages. Imports nothing outside sandbox/:
// common/index.js would load the tokenizer into every worker (~200 ms of startup).
import { parentPort, workerData } from 'node:worker_threads';
import { SharedCpuClock } from './cpu-clock.js';
import type { LogEntry } from './engine.js';
import { crashFailure } from './guest-failure.js';
import { createGuestInstance, GuestMemory } from './guest-instance.js';
import { prepareGuest, type PreparedGuest } from './guest-kit.js';
import { GuestRun } from './guest-run.js';
import { planMemory, type MemoryPlan } from './guest-sizing.js';
import type { HostToWorker, RunMessage, SandboxWorkerData, WorkerToHost } from './worker-protocol.js';

const data = workerData as SandboxWorkerData;
const post = (message: WorkerToHost): void => parentPort?.postMessage(message);
const cpuClock = new SharedCpuClock(data.cpuClock);

/** A Memory that grew past this is let go rather than zeroed and kept. */
const RECYCLE_MAX_BYTES = 32 * 2 ** 20;

// One spare instance for the next run, made and given its prelude while the worker is idle; usable
// only by a run whose memory plan matches (a Memory's maximum is fixed at creation). No program has
// run in it: every run still gets a context of its own.
let spare: { readonly maximumPages: number; readonly instance: Promise<PreparedGuest> } | undefined;
// Memories whose instance is gone, by maximum pages, waiting to be zeroed and reused.
const freeMemories = new Map<number, GuestMemory>();
const runs = new Map<number, GuestRun>();

function takeMemory(plan: MemoryPlan): GuestMemory {
  const memory = freeMemories.get(plan.maximumPages);
  if (!memory) return new GuestMemory(plan);
  freeMemories.delete(plan.maximumPages);
  memory.reset();
  return memory;
}

function releaseMemory(memory: GuestMemory): void {
  if (memory.byteLength > RECYCLE_MAX_BYTES) return;
  freeMemories.clear(); // keep one: the plan of the latest run is the likeliest next one
  freeMemories.set(memory.maximumPages, memory);
}

/** A fresh instance on a fresh (or zeroed) Memory, its prelude evaluated. */
async function createPrepared(plan: MemoryPlan): Promise<PreparedGuest> {
  return prepareGuest(await createGuestInstance(data.wasmModule, takeMemory(plan)));
}

function makeSpare(plan: MemoryPlan): void {
  const instance = createPrepared(plan);
  // A failed spare is only a missed shortcut; a ready one lets the host prefer this worker.
  instance.then(() => post({ type: 'warm' }), () => undefined);
  spare = { maximumPages: plan.maximumPages, instance };
}

async function takeInstance(plan: MemoryPlan): Promise<PreparedGuest> {
  const candidate = spare;
  spare = undefined;
  if (candidate) {
    try {
      const instance = await candidate.instance;
      if (candidate.maximumPages === plan.maximumPages) return instance;
      releaseMemory(instance.memory); // never ran guest code; its Memory is still good
    } catch {
      // fall through to a fresh one
    }
  }
  return createPrepared(plan);
}

async function startRun(message: RunMessage): Promise<void> {
  const plan = planMemory(message.limits.memoryBytes);
  let instance: PreparedGuest;
  try {
    instance = await takeInstance(plan);
  } catch (error) {
    const stats = { wallMs: 0, cpuMs: 0, hostCalls: 0 };
    const failure = crashFailure(`could not create a QuickJS instance: ${error instanceof Error ? error.message : String(error)}`);
    post({ type: 'done', runId: message.runId, outcome: { ok: false, error: failure, logs: [], logsTruncated: false, stats }, recycle: true });
    return;
  }
  const run = new GuestRun(message, {
    instance,
    maxGuestStackBytes: data.maxGuestStackBytes,
    maxArgumentBytes: data.maxArgumentBytes,
    cpuClock,
    sendCall: (runId, callId, namespace, fn, argsJson) => post({ type: 'call', runId, callId, namespace, fn, argsJson }),
    ...(message.streamLogs ? { sendLogs: (runId: number, entries: readonly LogEntry[]) => post({ type: 'log', runId, entries }) } : {}),
  });
  runs.set(message.runId, run);
  const { outcome, recycle } = await run.execute();
  runs.delete(message.runId);
  post({ type: 'done', runId: message.runId, outcome, recycle });
  if (recycle) return; // the host replaces this worker
  // The run's instance is unreachable from here on: nothing calls into it again, so its Memory
  // can be zeroed and handed to the next instance.
  releaseMemory(instance.memory);
  makeSpare(plan);
}

// Loaded anywhere but in a worker thread, the module stays inert.
if (parentPort) {
  parentPort.on('message', (message: HostToWorker) => {
    if (message.type === 'run') void startRun(message);
    else runs.get(message.runId)?.receive(message);
  });
  makeSpare(planMemory(data.warmMemoryBytes));
  post({ type: 'ready' });
}
