// Half A of the held-out Python escape battery, written after half B's recorded run: it follows what B
// found. `sys.modules['pyodide_js._api']` (left by pyodide.webloop's import before the snapshot) hands a
// program pyodide's internal API and emscripten's Module, whose own JS `_emscripten_run_script_string`
// evaluates JavaScript in the sandbox worker; Node 20's permission model does not bind worker threads.
import { expect } from 'vitest';
import { expectCode, expectCodeIn, markerExists, valueOf, withKit, type Probe } from './python-heldout-kit.js';

const py = String.raw;

/** Python: `api` (or None), `js(src)` evaluating JavaScript in the worker through Module, `module()`. */
const API = py`
api = sys.modules.get('pyodide_js._api')
def module():
    return api.public_api._module
def js(src):
    mod = module()
    out = mod._emscripten_run_script_string(mod.stringToNewUTF8(src))
    return mod.UTF8ToString(out) if out else None
`;

const withApi = (body: string): string => withKit(`${API}\n${body}`);

/** Every outcome is a refusal, or at least carries nothing of `forbidden`. */
function expectRefused(report: Record<string, string>, forbidden: RegExp): void {
  for (const [what, outcome] of Object.entries(report)) {
    expect(outcome, what).not.toMatch(forbidden);
    expect(outcome, what).toMatch(/^ERR:|^OK:None$/);
  }
}

export const HALF_A: readonly Probe[] = [
  {
    name: 'evaluates JavaScript through Module._emscripten_run_script_string and reads /etc/passwd with require("fs")',
    code: () => withApi(py`
return json.dumps({'passwd': attempt(lambda: js('require("fs").readFileSync("/etc/passwd", "utf8").slice(0, 60)'))})`),
    expect: ([r]) => expectRefused(valueOf(r!) as Record<string, string>, /root:/),
  },
  {
    name: 'evaluates JavaScript and reads the gateway\'s own environment from /proc/<ppid>/environ',
    code: () => withApi(py`
src = 'require("fs").readFileSync("/proc/" + process.ppid + "/environ", "utf8").split("\\0").filter((l) => l.startsWith("CEMCP_TEST_")).join(";")'
return json.dumps({'environ': attempt(lambda: js(src))})`),
    expect: ([r]) => expectRefused(valueOf(r!) as Record<string, string>, /secret/),
  },
  {
    name: 'evaluates JavaScript and runs a host process with child_process.execSync',
    code: (c) => withApi(py`
return json.dumps({'exec': attempt(lambda: js('require("child_process").execSync("touch ${c.marker}; id").toString()'))})`),
    expect: ([r], c) => {
      expectRefused(valueOf(r!) as Record<string, string>, /uid=/);
      expect(markerExists(c)).toBe(false);
    },
  },
  {
    name: 'calls emscripten\'s own JS system() on Module (the import was replaced, the JS function was not)',
    code: (c) => withApi(py`
def system():
    mod = module()
    return mod.__emscripten_system(mod.stringToNewUTF8('touch ${c.marker}'))
return json.dumps({'system': attempt(system)})`),
    expect: ([r], c) => {
      const report = valueOf(r!) as Record<string, string>;
      expect(report['system']).not.toBe('OK:0');
      expect(markerExists(c)).toBe(false);
    },
  },
  {
    name: 'evaluates JavaScript and opens a TCP connection to the listener from a fresh worker thread (its net is not patched)',
    code: (c) => withApi(py`
src = 'new (require("worker_threads").Worker)("require(\\"net\\").connect(${c.port}, \\"127.0.0.1\\")", { eval: true }); "started"'
return json.dumps({'worker': attempt(lambda: js(src))})`),
    expect: ([r]) => expectRefused(valueOf(r!) as Record<string, string>, /started/),
    waitAfterMs: 1_500,
  },
  {
    name: 'evaluates JavaScript and reaches Function, process and the gateway\'s pid (process.kill(ppid, 0))',
    code: () => withApi(py`
report = {}
report['function'] = attempt(lambda: js('typeof Function("return this")()'))
report['signal'] = attempt(lambda: js('String(process.kill(process.ppid, 0))'))
return json.dumps(report)`),
    expect: ([r]) => expectRefused(valueOf(r!) as Record<string, string>, /object|true/),
  },
  {
    name: 'mounts the host\'s /etc with pyodide.mountNodeFS and reads passwd',
    code: () => withApi(py`
def mount():
    api.public_api.mountNodeFS('/hostetc', '/etc')
    return open('/hostetc/passwd').read(60)
return json.dumps({'mount': attempt(mount)})`),
    expect: ([r]) => expectRefused(valueOf(r!) as Record<string, string>, /root:/),
  },
  {
    name: 'mounts the config file\'s folder and reads the secret written in it',
    code: (c) => withApi(py`
import os
def mount():
    api.public_api.mountNodeFS('/hostcfg', ${JSON.stringify(c.configFile.replace(/\/[^/]+$/, ''))})
    text = open('/hostcfg/' + ${JSON.stringify(c.configFile.replace(/^.*\//, ''))}).read()
    return [line.strip() for line in text.splitlines() if 'VAULT_LITERAL' in line]
return json.dumps({'config': attempt(mount)})`),
    // The runner's secret check fails first if the line with the config's literal secret came back.
    expect: ([r]) => expectRefused(valueOf(r!) as Record<string, string>, /VAULT_LITERAL/),
  },
  {
    name: 'reads a host file with pyodide\'s internal loadBinaryFile',
    code: () => withApi(py`
async def load():
    data = await api.loadBinaryFile('/etc/passwd')
    return bytes(data.to_py())[:60]
return json.dumps({'loadBinaryFile': await aattempt(load)})`),
    expect: ([r]) => expectRefused(valueOf(r!) as Record<string, string>, /root:/),
  },
  {
    name: 'finds pyodide\'s API or Module among every JS proxy the garbage collector holds',
    code: () => withKit(py`
import gc
found = set()
for o in gc.get_objects():
    if is_js(o):
        for attr in ('public_api', '_module', 'runPythonInternal', 'mountNodeFS', 'FS'):
            try:
                if getattr(o, attr, None) is not None:
                    found.add(attr)
            except BaseException:
                pass
return json.dumps(sorted(found))`),
    expect: ([r]) => expect(valueOf(r!)).toEqual([]),
  },
  {
    name: 'reads host paths from a JS error\'s stack and pyodide\'s config',
    code: () => withKit(py`
hc = find_host_call()
report = {}
try:
    hc.constructor.defineProperty(1, 2, 3)
except BaseException as e:
    report['message'] = str(e)
    report['stack'] = attempt(lambda: str(e.js_error.stack))
api = sys.modules.get('pyodide_js._api')
report['indexURL'] = attempt(lambda: str(api.config.indexURL))
return json.dumps(report)`),
    // The host-path check of the runner is the assertion: no root folder, node_modules or file:// URL.
    expect: ([r]) => expect(r!.isError, r!.text).toBe(false),
  },
  {
    name: 'climbs from the host-call proxy alone (no API): prototypes, descriptors, bind, call, toString',
    code: () => withKit(py`
hc = find_host_call()
O = hc.constructor
proto = O.getPrototypeOf(hc)
names = [str(n) for n in O.getOwnPropertyNames(proto)]
reached = []
for candidate in (lambda: proto.constructor, lambda: O.getOwnPropertyDescriptor(proto, 'constructor'),
                  lambda: O.getPrototypeOf(hc.bind(None)).constructor, lambda: O.getPrototypeOf(O).constructor):
    try:
        c = candidate()
        if c is not None and str(getattr(c, 'name', '')) == 'Function':
            reached.append('Function')
    except BaseException:
        pass
return json.dumps({'constructorOnFunctionPrototype': 'constructor' in names, 'objectName': str(O.name), 'reached': reached})`),
    expect: ([r]) => expect(valueOf(r!)).toEqual({ constructorOnFunctionPrototype: false, objectName: 'Object', reached: [] }),
  },
  {
    name: 'turns on pyodide\'s Node socket support (useNodeSockFS) and connects to the listener',
    code: (c) => withApi(py`
import socket
def connect():
    api.public_api.useNodeSockFS()
    s = socket.create_connection(('127.0.0.1', ${c.port}), timeout=1)
    return s.send(b'x')
return json.dumps({'nodesock': attempt(connect)})`),
    expect: ([r]) => expectRefused(valueOf(r!) as Record<string, string>, /^OK:\d/),
  },
  {
    name: 'leaves an asyncio task running (it spins once the program returned); the next run still answers',
    code: () => 'import asyncio\nasync def spin():\n    await asyncio.sleep(0.05)\n    while True:\n        pass\nasyncio.ensure_future(spin())\nreturn "left"',
    expect: ([r]) => expect(r).toMatchObject({ isError: false, text: 'left' }),
    waitAfterMs: 500,
  },
  {
    name: 'schedules a busy loop through pyodide\'s scheduleCallback (the JS proxy webloop imported) and returns',
    code: () => withKit(py`
import pyodide.webloop
from pyodide.ffi import create_once_callable
def spin():
    while True:
        pass
pyodide.webloop.scheduleCallback(create_once_callable(spin), 100)
return 'scheduled'`),
    expect: ([r]) => expect(r).toMatchObject({ isError: false, text: 'scheduled' }),
    waitAfterMs: 500,
  },
  {
    name: 'ends the interpreter with os._exit',
    code: () => 'import os\nos._exit(3)',
    expect: ([r]) => expectCode(r!, 'SANDBOX_CRASHED'),
  },
  {
    name: 'prints 20000 lines of 200 characters: the output is cut, the run completes',
    code: () => 'for i in range(20000):\n    print("y" * 200)\nreturn "printed"',
    expect: ([r]) => {
      expect(r!.isError, r!.text.slice(0, 300)).toBe(false);
      expect(r!.text).toContain('printed');
      expect(r!.text.length).toBeLessThan(100_000);
    },
  },
  {
    name: 'searches every module\'s globals (one level deep) for a JS proxy of pyodide\'s API or Module',
    code: () => withKit(py`
hits = []
for name, m in list(sys.modules.items()):
    d = getattr(m, '__dict__', None)
    if name.startswith('pyodide_js') or not isinstance(d, dict):
        continue
    for k, v in list(d.items()):
        found = [(k, v)]
        try:
            found += [(k + '.' + k2, v2) for k2, v2 in vars(v).items()]
        except TypeError:
            pass
        for key, value in found:
            if is_js(value):
                for attr in ('public_api', '_module', '_api', 'runPythonInternal'):
                    try:
                        if getattr(value, attr, None) is not None:
                            hits.append(name + ':' + key + '.' + attr)
                    except BaseException:
                        pass
return json.dumps(hits)`),
    expect: ([r]) => expect(valueOf(r!)).toEqual([]),
  },
  {
    name: 'installs a Python getter for "then" on the worker\'s Object.prototype (every promise in the worker asks it)',
    code: () => withKit(py`
from pyodide.ffi import create_proxy, to_js
hc = find_host_call()
O = hc.constructor
def getter(this):
    return None
O.defineProperty(O.prototype, 'then', to_js({'get': create_proxy(getter, capture_this=True), 'configurable': True}, dict_converter=O.fromEntries))
return 'installed'`),
    // Before the worker's intrinsics were frozen: the run ended at the CPU limit, or the whole sandbox process died (SIGTRAP).
    expect: ([r]) => {
      expectCodeIn(r!, ['GUEST_THREW']);
      expect(r!.text).toContain('Cannot define property then, object is not extensible');
    },
  },
];
