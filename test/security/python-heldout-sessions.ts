// Half B's cross-session probes: programs run alternately in two MCP sessions of one HTTP gateway
// (session A, then B, then A...), which share the Python sandbox process. Nothing one session's
// program leaves (files, patched modules, marks on the worker's JS objects, timers) reaches the other.
import { expect } from 'vitest';
import { valueOf, withKit, type ProbeContext, type PyResult } from './python-heldout-kit.js';

const py = String.raw;

export interface SessionProbe {
  readonly name: string;
  /** Run alternately: index 0 in session A, 1 in session B, 2 in A... */
  readonly programs: (ctx: ProbeContext) => readonly string[];
  readonly expect: (results: readonly PyResult[], ctx: ProbeContext) => void;
  readonly waitAfterMs?: number;
}

export const CROSS_SESSION: readonly SessionProbe[] = [
  {
    name: 'session A writes files, patches builtins, json and sys.modules; session B sees none of it',
    programs: () => [
      withKit(py`
import builtins, os
builtins.cemcp_pyred_a = 'session-a'
json.loads = lambda *a, **k: 'hijacked-by-a'
sys.modules['csv'] = 'hijacked-by-a'
os.environ['PYRED_A'] = 'session-a'
made = []
for p in ('/tmp/pyred-a.txt', '/home/pyodide/pyred-a.txt'):
    try:
        with open(p, 'w') as f:
            f.write('session-a secret notes')
        made.append(p)
    except OSError:
        pass
return json.dumps(made)`),
      withKit(py`
import builtins, os
import csv
files = [p for p in ('/tmp/pyred-a.txt', '/home/pyodide/pyred-a.txt') if os.path.exists(p)]
return json.dumps({'builtins': hasattr(builtins, 'cemcp_pyred_a'), 'loads': json.loads('1'), 'csv': csv.__name__,
                   'env': os.environ.get('PYRED_A'), 'files': files})`),
    ],
    expect: ([a, b]) => {
      expect(valueOf(a!)).toEqual(['/tmp/pyred-a.txt', '/home/pyodide/pyred-a.txt']);
      expect(valueOf(b!)).toEqual({ builtins: false, loads: 1, csv: 'csv', env: null, files: [] });
    },
  },
  {
    name: 'session A marks the worker\'s Object.prototype through a JS proxy; session B must not see the mark',
    programs: () => [
      withKit(py`
hc = find_host_call()
hc.constructor.prototype.cemcpPyredSessionMark = 'from-session-a'
return json.dumps({'set': str(hc.cemcpPyredSessionMark)})`),
      withKit(py`
hc = find_host_call()
try:
    mark = str(hc.cemcpPyredSessionMark)
except AttributeError:
    mark = None
return json.dumps({'mark': mark})`),
    ],
    expect: ([, b]) => expect(valueOf(b!)).toEqual({ mark: null }),
  },
  {
    name: 'session A leaves a busy loop scheduled with call_later; session B\'s run still answers',
    programs: () => [
      'import asyncio\ndef spin():\n    while True:\n        pass\nasyncio.get_event_loop().call_later(0.05, spin)\nreturn "scheduled"',
      'import asyncio\nawait asyncio.sleep(0.3)\nreturn 6 * 7',
    ],
    expect: ([a, b]) => {
      expect(a).toMatchObject({ isError: false, text: 'scheduled' });
      expect(b).toEqual({ text: '42', isError: false, errorCode: undefined });
    },
  },
];

/** Half A across sessions: with JavaScript reached (python-heldout-a.ts), one session reads another's programs. */
export const CROSS_SESSION_A: readonly SessionProbe[] = [
  {
    name: 'session A hooks the worker\'s message port with JavaScript; session B\'s program text must not reach A',
    programs: () => [
      withKit(py`
def hook():
    mod = sys.modules['pyodide_js._api'].public_api._module
    src = 'globalThis.__pyred = []; require("worker_threads").parentPort.on("message", (m) => { if (m && m.code) globalThis.__pyred.push(m.code) }); "hooked"'
    return mod.UTF8ToString(mod._emscripten_run_script_string(mod.stringToNewUTF8(src)))
return json.dumps({'hook': attempt(hook)})`),
      'return "session-b-private-" + "notes"',
      withKit(py`
def read():
    mod = sys.modules['pyodide_js._api'].public_api._module
    src = '(globalThis.__pyred || []).join("|")'
    return mod.UTF8ToString(mod._emscripten_run_script_string(mod.stringToNewUTF8(src)))
return json.dumps({'seen': attempt(read)})`),
    ],
    expect: ([hook, b, a]) => {
      expect(hook!.isError, hook!.text).toBe(false);
      expect(b).toEqual({ text: 'session-b-private-notes', isError: false, errorCode: undefined });
      expect(a!.isError, a!.text).toBe(false);
      expect(a!.text, `session B's program reached session A (the hook: ${hook!.text})`).not.toContain('session-b-private');
    },
  },
];
