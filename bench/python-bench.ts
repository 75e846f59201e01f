// The Python engine's speed beside the JavaScript engine's, engine level (no MCP), for issue 16's
// targets: a fresh instance running `return 6*7` when runs come back to back (each waits for its
// interpreter to be restored: the warm pool's steady state), the same when a restored instance is
// waiting, and one awaited host call. Used by `npm run bench` (report.ts) and `npm run bench:python`.
import { execFileSync, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { Duplex } from 'node:stream';
import { createPythonEngine, createQuickJsEngine, type Engine, type HostBridge, type Limits, type RunRequest } from '../src/sandbox/index.js';
import { percentiles, type Percentiles } from './speed.js';

export interface LanguageSpeed {
  /** `return 6*7`, runs back to back: each in a fresh instance, waiting for it to be ready. */
  readonly backToBack: Percentiles;
  /** `return 6*7` after a pause long enough for the pool to have an instance ready. */
  readonly waiting: Percentiles;
  /** One awaited call, per program of CALLS calls: (its wall time - an empty program's) / CALLS. */
  readonly perCallMean: Percentiles;
  /** One awaited call, each timed inside the program (Python only: QuickJS has no sub-ms clock). */
  readonly perCall?: Percentiles;
  /** Resident set of the engine's sandbox processes after the runs, MB (Python only: QuickJS runs in this process). */
  readonly residentMb?: number;
}

export interface PythonSpeedResult {
  /** The pool size of both engines (the Python engine's default). */
  readonly poolSize: number;
  readonly javascript: LanguageSpeed;
  readonly python: LanguageSpeed;
  /** The bare round trip of the Python sandbox's path without Python (see measureTopologyFloor). */
  readonly topologyFloor?: Percentiles;
}

export interface PythonSpeedOptions {
  /** Samples of the back-to-back and waiting runs (default 15). */
  readonly samples?: number;
  readonly poolSize?: number;
  readonly progress?: (line: string) => void;
}

/** Issue 16's targets, p50 in ms. */
export const PYTHON_TARGETS = { backToBackMs: 250, waitingMs: 15, perCallMs: 0.5 } as const;

const LIMITS: Limits = { cpuMs: 10_000, wallMs: 30_000, memoryBytes: 64 * 2 ** 20, stackBytes: 512 * 1024, maxLogBytes: 65_536, maxResultBytes: 1 << 20 };
const bridge: HostBridge = { call: async () => ({ ok: true, json: '{"ok":true}' }) };
const CALLS = 200;
/** Long enough for a Python worker to restore its next instance on a busy machine. */
const PYTHON_PAUSE_MS = 2_500;

interface Language {
  readonly name: string;
  readonly engine: Engine;
  readonly filename: string;
  readonly answer: string;
  readonly pauseMs: number;
  readonly calls: (n: number) => string;
  /** A program making CALLS calls that answers the ms each took, measured inside it. */
  readonly timedCalls?: string;
  /** The entry file of the engine's own processes, to count their memory. */
  readonly processEntry?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runOnce(lang: Language, code: string): Promise<{ ms: number; wallMs: number; valueJson: string | undefined }> {
  const request: RunRequest = { code, filename: lang.filename, api: { gh: ['echo'] }, limits: LIMITS };
  const start = performance.now();
  const out = await lang.engine.run(request, bridge);
  const ms = performance.now() - start;
  if (!out.ok) throw new Error(`${lang.name}: ${out.error.code} ${out.error.message}`);
  return { ms, wallMs: out.stats.wallMs, valueJson: out.valueJson };
}

async function measure(lang: Language, samples: number): Promise<LanguageSpeed> {
  await runOnce(lang, lang.answer); // the first run waits for the engine to start
  await runOnce(lang, lang.answer);
  const backToBack: number[] = [];
  for (let i = 0; i < samples; i++) backToBack.push((await runOnce(lang, lang.answer)).ms);
  const waiting: number[] = [];
  for (let i = 0; i < samples; i++) {
    await sleep(lang.pauseMs); // the workers restore their next instances meanwhile
    waiting.push((await runOnce(lang, lang.answer)).ms);
  }
  const perCallMean: number[] = [];
  const perCall: number[] = [];
  for (let i = 0; i < Math.max(3, Math.floor(samples / 3)); i++) {
    await sleep(lang.pauseMs);
    const none = await runOnce(lang, lang.calls(0));
    await sleep(lang.pauseMs);
    const many = await runOnce(lang, lang.calls(CALLS));
    perCallMean.push(Math.max(0, many.wallMs - none.wallMs) / CALLS);
    if (lang.timedCalls) {
      await sleep(lang.pauseMs);
      perCall.push(...(JSON.parse((await runOnce(lang, lang.timedCalls)).valueJson ?? '[]') as number[]));
    }
  }
  const residentMb = lang.processEntry ? childrenResidentMb(lang.processEntry) : undefined;
  return {
    backToBack: percentiles(backToBack), waiting: percentiles(waiting), perCallMean: percentiles(perCallMean),
    ...(perCall.length ? { perCall: percentiles(perCall) } : {}),
    ...(residentMb !== undefined ? { residentMb } : {}),
  };
}

/** The summed resident set of this process's children running `entry` (MB), from `ps`; undefined where there is none. */
function childrenResidentMb(entry: string): number | undefined {
  try {
    const lines = execFileSync('ps', ['--ppid', String(process.pid), '-o', 'rss=,args='], { encoding: 'utf8' }).split('\n');
    const kb = lines.filter((line) => line.includes(entry)).map((line) => Number(line.trim().split(/\s+/)[0]));
    return kb.length > 0 ? kb.reduce((a, b) => a + b, 0) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Measures both engines one after the other (each alone on the machine), each at `poolSize`. */
export async function measurePythonSpeed(options: PythonSpeedOptions = {}): Promise<PythonSpeedResult> {
  const samples = options.samples ?? 15;
  const poolSize = options.poolSize ?? 2;
  const languages: Language[] = [
    {
      name: 'JavaScript', engine: createQuickJsEngine({ poolSize }), filename: 'program.js', answer: '(async () => 6 * 7)', pauseMs: 50,
      calls: (n) => `(async () => { for (let i = 0; i < ${n}; i++) await gh.echo({}); return 1 })`,
    },
    {
      name: 'Python', engine: createPythonEngine({ poolSize }), filename: 'program.py', answer: 'return 6 * 7', pauseMs: PYTHON_PAUSE_MS,
      calls: (n) => `for i in range(${n}):\n    await gh.echo({})\nreturn 1`,
      processEntry: 'python-host.js',
      timedCalls: `import time\nms = []\nfor i in range(${CALLS}):\n    t = time.perf_counter()\n    await gh.echo({})\n    ms.append((time.perf_counter() - t) * 1000)\nreturn ms`,
    },
  ];
  const results: LanguageSpeed[] = [];
  for (const lang of languages) {
    options.progress?.(`measuring ${lang.name} (pool of ${poolSize})`);
    try {
      results.push(await measure(lang, samples));
    } finally {
      await lang.engine.close();
    }
  }
  options.progress?.('measuring the bare round trip of the Python sandbox\'s path');
  const topologyFloor = await measureTopologyFloor();
  return { poolSize, javascript: results[0]!, python: results[1]!, topologyFloor };
}

// A child process whose one worker thread answers each reply with a call over the child's fd 3, as
// a Python sandbox process's worker talks to the gateway (JSON lines on its data channel).
const ECHO_CHILD = `
const { Worker } = require('node:worker_threads');
new Worker(\`
const channel = new (require('node:net').Socket)({ fd: 3, readable: true, writable: true });
require('node:readline').createInterface({ input: channel }).on('line', (line) => {
  const m = JSON.parse(line);
  channel.write(JSON.stringify({ type: 'call', runId: m.runId, callId: m.callId + 1, namespace: 'gh', fn: 'echo', argsJson: '{}' }) + '\\\\n');
});\`, { eval: true });
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

/**
 * The floor of one host call's path, without Python: gateway -> data channel -> the sandbox
 * process's worker thread -> data channel -> gateway, 2,000 round trips of call-sized messages.
 */
export async function measureTopologyFloor(roundTrips = 2_000): Promise<Percentiles> {
  const child = spawn(process.execPath, ['-e', ECHO_CHILD], { stdio: ['pipe', 'ignore', 'ignore', 'pipe'] });
  const data = child.stdio[3] as Duplex;
  const samples: number[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let sent = performance.now();
      const send = (callId: number) => {
        sent = performance.now();
        data.write(`${JSON.stringify({ type: 'reply', runId: 1, callId, ok: true, json: '{"ok":true}' })}\n`);
      };
      createInterface({ input: data }).on('line', (line) => {
        const message = JSON.parse(line) as { callId: number };
        samples.push(performance.now() - sent);
        if (samples.length >= roundTrips + 100) resolve();
        else send(message.callId);
      });
      child.on('exit', (code) => reject(new Error(`the echo process exited (code ${code})`)));
      send(0);
    });
  } finally {
    child.stdin?.end();
    child.kill();
  }
  return percentiles(samples.slice(100)); // the first ones warm the path up
}

const ms = (p: Percentiles | undefined, digits = 2) => (p ? `${p.p50Ms.toFixed(digits)} / ${p.p95Ms.toFixed(digits)}` : '—');
const times = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}x` : '—');

/** The table of both engines (ms, p50 / p95) and Python's ratio to JavaScript at p50. */
export function renderPythonTable(r: PythonSpeedResult): string[] {
  const { javascript: js, python: py } = r;
  return [
    `| measurement (ms, p50 / p95) | JavaScript (QuickJS) | Python (pyodide) | Python / JavaScript p50 | Python target (p50) |`,
    '|---|--:|--:|--:|--:|',
    `| \`return 6*7\`, runs back to back (each waits for its fresh instance) | ${ms(js.backToBack)} | ${ms(py.backToBack)} | ${times(py.backToBack.p50Ms, js.backToBack.p50Ms)} | < ${PYTHON_TARGETS.backToBackMs} |`,
    `| \`return 6*7\`, a restored instance waiting | ${ms(js.waiting)} | ${ms(py.waiting)} | ${times(py.waiting.p50Ms, js.waiting.p50Ms)} | < ${PYTHON_TARGETS.waitingMs} |`,
    `| one awaited host call, timed inside the program | — | ${ms(py.perCall, 3)} | — | < ${PYTHON_TARGETS.perCallMs} |`,
    `| one awaited host call, (${CALLS} calls - none) / ${CALLS} | ${ms(js.perCallMean, 3)} | ${ms(py.perCallMean, 3)} | ${times(py.perCallMean.p50Ms, js.perCallMean.p50Ms)} | |`,
    ...(py.residentMb !== undefined ? [`| resident set of the Python sandbox processes after the runs (MB, pool of ${r.poolSize}) | — | ${py.residentMb.toFixed(0)} | — | |`] : []),
    ...(r.topologyFloor ? [`| the same path without Python: data channel + the sandbox process's worker thread and back | — | ${ms(r.topologyFloor, 3)} | — | |`] : []),
  ];
}
