// Entry point of the Python sandbox's worker thread (dist/sandbox/python-worker.js), the one worker
// of its sandbox process. Mode `snapshot` makes the interpreter snapshot once and exits; mode `run`
// runs one program at a time, each in a fresh interpreter restored from that snapshot, and restores
// the next one while idle. Host calls and console lines go straight to the gateway over the data
// channel (fd 3); the main thread hears only begin and done. Imports nothing outside sandbox/ (and
// cut.js through log-buffer.ts).
import { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { parentPort, workerData } from 'node:worker_threads';
import type { LogEntry } from './engine.js';
import { crashFailure } from './guest-failure.js';
import { RemovedClosures } from './python-closures.js';
import { answerConstantsBinding, createPythonInstance, disableNetwork, installInstantiationGuard, makeSnapshot, removeFunctionConstructors, type PythonInstance } from './python-instance.js';
import { DATA_FD, type GatewayToWorker, type PythonWorkerData, type RunMessage, type WorkerToGateway, type WorkerToHostProcess } from './python-protocol.js';
import { freezeIntrinsics, trackTimers, type TimerLedger } from './python-realm.js';
import { PythonRun } from './python-run.js';

const data = workerData as PythonWorkerData;
const closures = new RemovedClosures(data.removedClosures);
const post = (message: WorkerToHostProcess, transfer?: ArrayBuffer[]): void => parentPort?.postMessage(message, transfer ?? []);

let spare: Promise<PythonInstance> | undefined;
let current: { readonly runId: number; readonly run: PythonRun } | undefined;
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

/** The data channel: opened before the network is disabled, kept for the worker's life (closing it ends the process's use). */
function openDataChannel(): (message: WorkerToGateway) => void {
  const socket = new Socket({ fd: DATA_FD, readable: true, writable: true });
  socket.on('error', () => undefined); // the gateway went away: the main thread sees its stdin close
  createInterface({ input: socket, crlfDelay: Infinity }).on('line', (line) => {
    let message: GatewayToWorker;
    try {
      message = JSON.parse(line) as GatewayToWorker;
    } catch {
      return;
    }
    if (message.type === 'reply' && message.runId === current?.runId) current.run.receive(message);
  });
  return (message) => {
    socket.write(`${JSON.stringify(message)}\n`);
  };
}

async function startRun(message: RunMessage, snapshot: Uint8Array, send: (message: WorkerToGateway) => void): Promise<void> {
  let instance: PythonInstance;
  try {
    const candidate = spare;
    spare = undefined;
    instance = await (candidate ?? createPythonInstance(data.indexURL, snapshot));
  } catch (error) {
    const stats = { wallMs: 0, cpuMs: 0, hostCalls: 0 };
    const failure = crashFailure(`could not start a Python interpreter: ${error instanceof Error ? error.message : String(error)}`);
    send({ type: 'end', runId: message.runId });
    post({ type: 'done', runId: message.runId, outcome: { ok: false, error: failure, logs: [], logsTruncated: false, stats }, recycle: true });
    return;
  }
  const run = new PythonRun(message, {
    instance,
    interrupt: new Int32Array(data.interrupt),
    maxArgumentBytes: data.maxArgumentBytes,
    begin: () => post({ type: 'begin', runId: message.runId }),
    sendCall: (runId, callId, namespace, fn, argsJson) => send({ type: 'call', runId, callId, namespace, fn, argsJson }),
    ...(message.streamLogs ? { sendLogs: (runId: number, entries: readonly LogEntry[]) => send({ type: 'log', runId, entries }) } : {}),
  });
  freezeOnce();
  current = { runId: message.runId, run };
  timers?.mark();
  const ran = await run.execute();
  current = undefined;
  // A callback the program scheduled to run after it ended would run in the next program's time,
  // in this worker: the worker (and its process) is replaced instead.
  const recycle = ran.recycle || (timers?.pending ?? 0) > 0;
  send({ type: 'end', runId: message.runId });
  post({ type: 'done', runId: message.runId, outcome: ran.outcome, recycle });
  if (recycle) return;
  if (closures.keeps('fresh-interpreter')) makeSpare(snapshot); // the run's interpreter is dropped whole; the next one is new
  else spare = Promise.resolve(instance);
}

async function main(port: NonNullable<typeof parentPort>): Promise<void> {
  const send = data.mode === 'run' ? openDataChannel() : undefined;
  answerConstantsBinding();
  if (closures.keeps('pending-timers')) timers = trackTimers();
  if (closures.keeps('function-constructors')) removeFunctionConstructors();
  if (closures.keeps('network-apis')) disableNetwork();
  installInstantiationGuard(data.wasmModule, closures);
  if (!send) {
    const bytes = await makeSnapshot(data.indexURL);
    post({ type: 'snapshot', bytes }, [bytes.buffer as ArrayBuffer]);
    return;
  }
  if (!data.snapshot) throw new Error('a Python run worker needs the interpreter snapshot');
  const snapshot = new Uint8Array(data.snapshot);
  port.on('message', (message: RunMessage) => {
    if (message.type === 'run') void startRun(message, snapshot, send);
  });
  makeSpare(snapshot);
  post({ type: 'ready' });
}

if (parentPort) {
  const port = parentPort;
  main(port).catch((error: unknown) => {
    // The main thread sees the worker exit and says why; the message is only for its stderr.
    throw error instanceof Error ? error : new Error(String(error));
  });
}
