// Entry point of a Python sandbox worker thread (dist/sandbox/python-worker.js), inside the sandbox
// host process. Mode `snapshot` makes the interpreter snapshot once and exits; mode `run` runs one
// program at a time, each in a fresh interpreter restored from that snapshot, and restores the
// next one while idle. Imports nothing outside sandbox/ (and cut.js through log-buffer.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { crashFailure } from './guest-failure.js';
import { RemovedClosures } from './python-closures.js';
import { answerConstantsBinding, createPythonInstance, disableNetwork, installInstantiationGuard, makeSnapshot, removeFunctionConstructors, type PythonInstance } from './python-instance.js';
import type { PythonWorkerData, RunMessage, WorkerToHostProcess } from './python-protocol.js';
import type { ReplyMessage } from './worker-protocol.js';
import { freezeIntrinsics, trackTimers, type TimerLedger } from './python-realm.js';
import { PythonRun } from './python-run.js';
import type { LogEntry } from './engine.js';

const data = workerData as PythonWorkerData;
const closures = new RemovedClosures(data.removedClosures);
const post = (message: WorkerToHostProcess, transfer?: ArrayBuffer[]): void => parentPort?.postMessage(message, transfer ?? []);

let spare: Promise<PythonInstance> | undefined;
let current: PythonRun | undefined;
let timers: TimerLedger | undefined;
let frozen = false;

/** Freezes the realm once pyodide has loaded here (it tags built-in functions as it loads), before any program runs. */
function freezeOnce(): void {
  if (!frozen && closures.keeps('frozen-intrinsics')) freezeIntrinsics();
  frozen = true;
}

function makeSpare(snapshot: Uint8Array): void {
  const made = createPythonInstance(data.indexURL, snapshot);
  made.then(() => {
    freezeOnce();
    post({ type: 'warm' });
  }, () => undefined);
  spare = made;
}

async function startRun(message: RunMessage, snapshot: Uint8Array): Promise<void> {
  let instance: PythonInstance;
  try {
    const candidate = spare;
    spare = undefined;
    instance = await (candidate ?? createPythonInstance(data.indexURL, snapshot));
  } catch (error) {
    const stats = { wallMs: 0, cpuMs: 0, hostCalls: 0 };
    const failure = crashFailure(`could not start a Python interpreter: ${error instanceof Error ? error.message : String(error)}`);
    post({ type: 'done', runId: message.runId, outcome: { ok: false, error: failure, logs: [], logsTruncated: false, stats }, recycle: true });
    return;
  }
  const run = new PythonRun(message, {
    instance,
    interrupt: new Int32Array(data.interrupt),
    maxArgumentBytes: data.maxArgumentBytes,
    begin: () => post({ type: 'begin', runId: message.runId }),
    sendCall: (runId, callId, namespace, fn, argsJson) => post({ type: 'call', runId, callId, namespace, fn, argsJson }),
    ...(message.streamLogs ? { sendLogs: (runId: number, entries: readonly LogEntry[]) => post({ type: 'log', runId, entries }) } : {}),
  });
  freezeOnce();
  current = run;
  timers?.mark();
  const ran = await run.execute();
  current = undefined;
  // A callback the program scheduled to run after it ended would run in the next program's time,
  // in this worker: the worker is replaced instead.
  const recycle = ran.recycle || (timers?.pending ?? 0) > 0;
  const { outcome } = ran;
  post({ type: 'done', runId: message.runId, outcome, recycle });
  if (recycle) return;
  if (closures.keeps('fresh-interpreter')) makeSpare(snapshot); // the run's interpreter is dropped whole; the next one is new
  else spare = Promise.resolve(instance);
}

async function main(port: NonNullable<typeof parentPort>): Promise<void> {
  answerConstantsBinding();
  if (closures.keeps('pending-timers')) timers = trackTimers();
  if (closures.keeps('function-constructors')) removeFunctionConstructors();
  if (closures.keeps('network-apis')) disableNetwork();
  installInstantiationGuard(data.wasmModule, closures);
  if (data.mode === 'snapshot') {
    const bytes = await makeSnapshot(data.indexURL);
    post({ type: 'snapshot', bytes }, [bytes.buffer as ArrayBuffer]);
    return;
  }
  if (!data.snapshot) throw new Error('a Python run worker needs the interpreter snapshot');
  const snapshot = new Uint8Array(data.snapshot);
  port.on('message', (message: RunMessage | ReplyMessage) => {
    if (message.type === 'run') void startRun(message, snapshot);
    else current?.receive(message);
  });
  makeSpare(snapshot);
  post({ type: 'ready' });
}

if (parentPort) {
  const port = parentPort;
  main(port).catch((error: unknown) => {
    // The host process sees the worker exit and says why; the message is only for its stderr.
    throw error instanceof Error ? error : new Error(String(error));
  });
}
