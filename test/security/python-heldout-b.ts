// Half B of the held-out Python escape battery: probes written before any was run, each a program an
// attacker would try and the exact contained outcome it must have. Host files, secrets, processes,
// sockets, pyodide internals, JS walking, state across runs, signals, threads, limits, the bridge.
import { expect } from 'vitest';
import { expectAllRefused, expectCode, expectCodeIn, markerExists, valueOf, withKit, type Probe } from './python-heldout-kit.js';

const py = String.raw;

export const HALF_B: readonly Probe[] = [
  {
    name: 'reads host files: /etc, /proc/self, the config file, the cemcp build, pyodide\'s package, the home folder',
    code: (c) => withKit(py`
import os
paths = ['/etc/passwd', '/etc/shadow', '/etc/hostname', '/proc/self/environ', '/proc/self/cmdline', '/proc/self/maps',
         '/proc/1/environ', ${JSON.stringify(c.configFile)}, ${JSON.stringify(`${c.root}/dist/cli/main.js`)},
         ${JSON.stringify(`${c.root}/package.json`)}, ${JSON.stringify(`${c.root}/node_modules/pyodide/package.json`)},
         ${JSON.stringify(`${c.home}/.bashrc`)}]
report = {}
for i, p in enumerate(paths):
    report[str(i)] = attempt(lambda: open(p, 'rb').read(60))
return json.dumps(report)`),
    expect: ([r]) => expectAllRefused(valueOf(r!)),
  },
  {
    name: 'lists the file system: no host folder is visible',
    code: () => withKit(py`
import os
return json.dumps({'root': sorted(os.listdir('/')), 'home': sorted(os.listdir('/home'))})`),
    expect: ([r]) => {
      const seen = valueOf(r!) as { root: string[]; home: string[] };
      for (const host of ['work', 'var', 'boot', 'srv', 'opt', 'root', 'run', 'sys', 'media', 'mnt']) expect(seen.root).not.toContain(host);
      expect(seen.home.every((name) => ['pyodide', 'web_user'].includes(name)), JSON.stringify(seen.home)).toBe(true);
    },
  },
  {
    name: 'reads the environment: os.environ, os.getenv, posix.environ hold nothing of the gateway\'s',
    code: () => withKit(py`
import os, posix
names = ['CEMCP_TEST_GATEWAY_SECRET', 'CEMCP_TEST_UPSTREAM_SECRET', 'FIXTURE_TOKEN', 'PATH']
return json.dumps({'environ': dict(os.environ), 'getenv': [os.getenv(n) for n in names[:3]],
                   'posix': {k.decode(): v.decode() for k, v in posix.environ.items()}})`),
    expect: ([r]) => {
      const seen = valueOf(r!) as { environ: Record<string, string>; getenv: unknown[]; posix: Record<string, string> };
      expect(seen.getenv).toEqual([null, null, null]);
      for (const env of [seen.environ, seen.posix]) {
        expect(Object.keys(env).filter((k) => k.startsWith('CEMCP') || k.includes('TOKEN'))).toEqual([]);
        expect(Object.values(env)).not.toContain(process.env['PATH']);
      }
      expect(seen.environ['HOME']).toBe('/home/pyodide');
    },
  },
  {
    name: 'reads process facts: argv, executable, cwd, sys.path, uname name no host path',
    code: () => withKit(py`
import os, platform
return json.dumps({'argv': sys.argv, 'exe': sys.executable, 'orig': getattr(sys, 'orig_argv', None), 'cwd': os.getcwd(),
                   'path': sys.path, 'prefix': sys.prefix, 'node': platform.node(), 'uname': list(os.uname())})`),
    expect: ([r]) => {
      const seen = valueOf(r!) as { cwd: string };
      expect(seen.cwd.startsWith('/work')).toBe(false);
    },
  },
  {
    name: 'runs a shell: os.system and os.popen touch nothing on the host',
    code: (c) => withKit(py`
import os
report = {'system': attempt(lambda: os.system('touch ${c.marker}; id'))}
report['popen'] = attempt(lambda: os.popen('touch ${c.marker}; id').read())
return json.dumps(report)`),
    expect: ([r], c) => {
      const report = valueOf(r!) as Record<string, string>;
      expect(report['system']).not.toBe('OK:0');
      expect(report['popen']).toMatch(/^ERR:|^OK:''$/);
      expect(markerExists(c)).toBe(false);
    },
  },
  {
    name: 'runs a process: subprocess.run, Popen, check_output, getoutput are all refused',
    code: (c) => withKit(py`
report = {}
try:
    import subprocess
    report['run'] = attempt(lambda: subprocess.run(['/bin/sh', '-c', 'touch ${c.marker}']))
    report['popen'] = attempt(lambda: subprocess.Popen(['touch', '${c.marker}']))
    report['check_output'] = attempt(lambda: subprocess.check_output(['id']))
    report['getoutput'] = attempt(lambda: subprocess.getoutput('touch ${c.marker}; id'))
except ImportError as e:
    report['import'] = 'ERR:' + type(e).__name__
return json.dumps(report)`),
    expect: ([r], c) => {
      const report = valueOf(r!) as Record<string, string>;
      // getoutput answers the shell's failure as text: it must carry no process output.
      if (report['getoutput']?.startsWith('OK:')) {
        expect(report['getoutput']).not.toContain('uid=');
        delete report['getoutput'];
      }
      expectAllRefused(report);
      expect(markerExists(c)).toBe(false);
    },
  },
  {
    name: 'forks, execs and spawns: os.fork, forkpty, execv, execve, spawnv, posix_spawn, pty.spawn, kill(1)',
    code: (c) => withKit(py`
import os
report = {}
report['fork'] = attempt(lambda: os.fork())
report['forkpty'] = attempt(lambda: os.forkpty())
report['execv'] = attempt(lambda: os.execv('/bin/sh', ['sh', '-c', 'touch ${c.marker}']))
report['execve'] = attempt(lambda: os.execve('/usr/bin/touch', ['touch', '${c.marker}'], {}))
report['spawnv'] = attempt(lambda: os.spawnv(os.P_WAIT, '/usr/bin/touch', ['touch', '${c.marker}']))
report['posix_spawn'] = attempt(lambda: os.posix_spawn('/usr/bin/touch', ['touch', '${c.marker}'], {}))
report['pty'] = attempt(lambda: __import__('pty').spawn(['/bin/sh', '-c', 'touch ${c.marker}']))
report['kill1'] = attempt(lambda: os.kill(1, 9))
return json.dumps(report)`),
    expect: ([r], c) => {
      expectAllRefused(valueOf(r!));
      expect(markerExists(c)).toBe(false);
    },
  },
  {
    name: 'opens sockets: TCP connect, UDP sendto, bind and listen on 127.0.0.1',
    code: (c) => withKit(py`
import socket
def listen():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(('127.0.0.1', 0))
    s.listen(1)
    return s.getsockname()
report = {}
report['tcp'] = attempt(lambda: socket.create_connection(('127.0.0.1', ${c.port}), timeout=1).send(b'GET / HTTP/1.0\r\n\r\n'))
report['udp'] = attempt(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'ping', ('127.0.0.1', ${c.udpPort})))
report['listen'] = attempt(listen)
report['raw'] = attempt(lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP))
return json.dumps(report)`),
    expect: ([r]) => expectAllRefused(valueOf(r!)),
  },
  {
    name: 'fetches over HTTP: urllib.request.urlopen and http.client to the listener',
    code: (c) => withKit(py`
report = {}
def via_urllib():
    import urllib.request
    return urllib.request.urlopen('http://127.0.0.1:${c.port}/urllib', timeout=2).read()
def via_http_client():
    import http.client
    conn = http.client.HTTPConnection('127.0.0.1', ${c.port}, timeout=2)
    conn.request('GET', '/http-client')
    return conn.getresponse().read()
report['urllib'] = attempt(via_urllib)
report['http_client'] = attempt(via_http_client)
return json.dumps(report)`),
    expect: ([r]) => expectAllRefused(valueOf(r!)),
  },
  {
    name: 'opens TLS: ssl.create_default_context().wrap_socket to the listener',
    code: (c) => withKit(py`
def tls():
    import socket, ssl
    ctx = ssl.create_default_context()
    raw = socket.create_connection(('127.0.0.1', ${c.port}), timeout=1)
    return ctx.wrap_socket(raw, server_hostname='localhost').version()
return json.dumps({'tls': attempt(tls)})`),
    expect: ([r]) => expectAllRefused(valueOf(r!)),
  },
  {
    name: 'connects through asyncio: open_connection and start_server',
    code: (c) => withKit(py`
import asyncio
async def connect():
    reader, writer = await asyncio.open_connection('127.0.0.1', ${c.port})
    writer.write(b'hello')
    await writer.drain()
    return 'connected'
async def serve():
    server = await asyncio.start_server(lambda r, w: None, '127.0.0.1', 0)
    return server.sockets[0].getsockname()
return json.dumps({'open_connection': await aattempt(connect), 'start_server': await aattempt(serve)})`),
    expect: ([r]) => expectAllRefused(valueOf(r!)),
  },
  {
    name: 'fetches through pyodide.http: pyfetch and open_url to the listener',
    code: (c) => withKit(py`
async def fetch():
    from pyodide.http import pyfetch
    response = await pyfetch('http://127.0.0.1:${c.port}/pyfetch')
    return await response.string()
def open_url():
    from pyodide.http import open_url
    return open_url('http://127.0.0.1:${c.port}/open_url').read()
return json.dumps({'pyfetch': await aattempt(fetch), 'open_url': attempt(open_url)})`),
    expect: ([r]) => expectAllRefused(valueOf(r!)),
  },
  {
    name: 'imports the JavaScript side: js, pyodide_js, pyodide_js._api, micropip',
    code: () => withKit(py`
import importlib
report = {}
for name in ['js', 'pyodide_js', 'pyodide_js._api', 'micropip']:
    report[name] = attempt(lambda: importlib.import_module(name))
return json.dumps(report)`),
    expect: ([r]) => {
      const report = valueOf(r!) as Record<string, string>;
      for (const [name, outcome] of Object.entries(report)) expect(outcome, name).toMatch(/^ERR:(ModuleNotFoundError|ImportError)$/);
    },
  },
  {
    name: 'evaluates JavaScript: pyodide.code.run_js and pyodide._run_js.run_js',
    code: () => withKit(py`
def code_run_js():
    from pyodide.code import run_js
    return run_js('process.env.CEMCP_TEST_GATEWAY_SECRET')
def private_run_js():
    from pyodide._run_js import run_js
    return run_js('globalThis.process && process.pid')
return json.dumps({'code': attempt(code_run_js), 'private': attempt(private_run_js)})`),
    expect: ([r]) => expectAllRefused(valueOf(r!)),
  },
  {
    name: 'finds JS modules left in sys.modules and mounts the cemcp build with them',
    code: () => withKit(py`
import os
found = [k for k, v in list(sys.modules.items()) if v is not None and is_js(v)]
read = None
for key in found:
    api = sys.modules[key]
    for attr in ('public_api', 'pyodide'):
        try:
            pub = getattr(api, attr)
            index = str(api.config.indexURL)
            dist = os.path.normpath(index + '/../../dist')
            pub.mountNodeFS('/hostdist', dist)
            read = open('/hostdist/cli/main.js').read(40)
            break
        except BaseException:
            pass
return json.dumps({'jsModules': found, 'read': read})`),
    expect: ([r]) => expect(valueOf(r!)).toEqual({ jsModules: [], read: null }),
  },
  {
    name: 'walks every reachable JS object (gc, modules, frames, closures) up .constructor to Function',
    code: () => withKit(py`
import gc, types
seen = {}
def add(v):
    if is_js(v):
        seen[id(v)] = v
for o in gc.get_objects():
    add(o)
for m in list(sys.modules.values()):
    for v in list(getattr(m, '__dict__', {}).values()):
        add(v)
f = sys._getframe()
while f is not None:
    for v in list(f.f_locals.values()) + list(f.f_globals.values()):
        add(v)
    f = f.f_back
add(find_host_call())
reached = []
names = set()
for v in list(seen.values()):
    for path in (('constructor',), ('constructor', 'constructor'), ('__proto__', 'constructor'), ('constructor', 'prototype', 'constructor', 'constructor')):
        try:
            c = v
            for step in path:
                c = getattr(c, step)
            names.add(str(getattr(c, 'name', '?')))
            made = c('return typeof process === "object" ? process.env.CEMCP_TEST_GATEWAY_SECRET || "process" : "no-process"')
            if callable(made):
                reached.append(str(made()))
        except BaseException:
            pass
return json.dumps({'proxies': len(seen), 'reached': reached, 'names': sorted(names)})`),
    expect: ([r]) => {
      const seen = valueOf(r!) as { proxies: number; reached: string[]; names: string[] };
      expect(seen.proxies).toBeGreaterThan(0);
      expect(seen.reached).toEqual([]);
      expect(seen.names).not.toContain('Function');
    },
  },
  {
    name: 'leaves a mark on the worker\'s Object.prototype through a JS proxy; the next run must not see it',
    code: () => [
      withKit(py`
hc = find_host_call()
obj = hc.constructor
obj.prototype.cemcpPyredMark = 'left-by-the-previous-run'
return json.dumps({'set': str(hc.cemcpPyredMark)})`),
      withKit(py`
hc = find_host_call()
try:
    mark = hc.cemcpPyredMark
except AttributeError:
    mark = None
return json.dumps({'mark': None if mark is None else str(mark)})`),
    ],
    expect: ([, second]) => expect(valueOf(second!)).toEqual({ mark: null }),
  },
  {
    name: 'climbs object.__subclasses__() to a class whose globals hold system/popen and calls it',
    // Fixed after the recorded run: k.__subclasses__() is unbound when k is a metaclass (a TypeError of the probe's own).
    code: (c) => withKit(py`
report = {}
for cls in type.__subclasses__(object) + [s for k in object.__subclasses__() for s in type.__subclasses__(k)]:
    init = getattr(cls, '__init__', None)
    g = getattr(init, '__globals__', None)
    if not isinstance(g, dict):
        continue
    for name in ('system', 'popen', '_posixsubprocess', 'fork'):
        target = g.get(name)
        if target is None and isinstance(g.get('os'), type(sys)):
            target = getattr(g['os'], name, None)
        if callable(target) and name not in report:
            report[name] = attempt(lambda: target('touch ${c.marker}') if name in ('system', 'popen') else target())
return json.dumps(report)`),
    expect: ([r], c) => {
      const report = valueOf(r!) as Record<string, string>;
      if (report['system'] !== undefined) expect(report['system']).not.toBe('OK:0');
      expect(markerExists(c)).toBe(false);
    },
  },
  {
    name: 'unpickles a __reduce__ payload that calls os.system and subprocess.Popen',
    code: (c) => withKit(py`
import pickle, os
class Shell:
    def __reduce__(self):
        return (os.system, ('touch ${c.marker}',))
payload = pickle.dumps(Shell())
report = {'system': attempt(lambda: pickle.loads(payload))}
raw = b"csubprocess\nPopen\n(]S'touch'\naS'${c.marker}'\natR."
report['popen'] = attempt(lambda: pickle.loads(raw))
return json.dumps(report)`),
    expect: ([r], c) => {
      const report = valueOf(r!) as Record<string, string>;
      expect(report['system']).not.toBe('OK:0');
      expect(report['popen']).toMatch(/^ERR:/);
      expect(markerExists(c)).toBe(false);
    },
  },
  {
    name: 'brings ctypes back (sys.modules entries deleted) and calls libc system through CDLL(None)',
    code: (c) => withKit(py`
for name in ('ctypes', '_ctypes'):
    sys.modules.pop(name, None)
report = {}
def libc_system():
    import ctypes
    libc = ctypes.CDLL(None)
    return libc.system(b'touch ${c.marker}')
def pythonapi():
    import ctypes
    return ctypes.pythonapi.Py_GetVersion
report['libc'] = attempt(libc_system)
report['pythonapi'] = attempt(pythonapi)
return json.dumps(report)`),
    expect: ([r], c) => {
      const report = valueOf(r!) as Record<string, string>;
      expect(report['libc']).not.toBe('OK:0');
      expect(markerExists(c)).toBe(false);
    },
  },
  {
    name: 'makes _ctypes and posix afresh with _imp.create_builtin and importlib machinery',
    code: (c) => withKit(py`
import _imp, importlib.machinery, importlib.util
report = {}
def builtin(name):
    spec = importlib.machinery.ModuleSpec(name, importlib.machinery.BuiltinImporter, origin='built-in')
    return _imp.create_builtin(spec)
def fresh_posix_system():
    return builtin('posix').system('touch ${c.marker}')
def fresh_ctypes_dlopen():
    m = builtin('_ctypes')
    return m.dlopen(None)
def spec_ctypes():
    spec = importlib.util.find_spec('ctypes')
    return importlib.util.module_from_spec(spec)
report['posix_system'] = attempt(fresh_posix_system)
report['ctypes_dlopen'] = attempt(fresh_ctypes_dlopen)
report['spec_ctypes'] = attempt(spec_ctypes)
return json.dumps(report)`),
    expect: ([r], c) => {
      const report = valueOf(r!) as Record<string, string>;
      expect(report['posix_system']).not.toBe('OK:0');
      expect(markerExists(c)).toBe(false);
    },
  },
  {
    name: 'patches builtins, json, sys.meta_path, os.environ and writes files; the next run sees none of it',
    code: () => [
      withKit(py`
import builtins, os
builtins.cemcp_pyred = 'patched'
json.dumps = lambda *a, **k: '"hijacked"'
class Finder:
    def find_spec(self, name, path=None, target=None):
        raise ImportError('hijacked ' + name)
sys.meta_path.insert(0, Finder())
os.environ['PYRED'] = 'left'
for p in ('/tmp/pyred.txt', '/home/pyodide/pyred.txt', '/pyred.txt'):
    try:
        with open(p, 'w') as f:
            f.write('left')
    except OSError:
        pass
return 'patched'`),
      withKit(py`
import builtins, os
files = [p for p in ('/tmp/pyred.txt', '/home/pyodide/pyred.txt', '/pyred.txt') if os.path.exists(p)]
try:
    import csv
    imported = csv.__name__
except ImportError as e:
    imported = str(e)
return json.dumps({'builtins': hasattr(builtins, 'cemcp_pyred'), 'dumps': json.dumps(1), 'import': imported,
                   'env': os.environ.get('PYRED'), 'files': files})`),
    ],
    expect: ([first, second]) => {
      expect(first).toMatchObject({ isError: false, text: 'patched' });
      expect(valueOf(second!)).toEqual({ builtins: false, dumps: '1', import: 'csv', env: null, files: [] });
    },
  },
  {
    name: 'starts threads and processes: threading, _thread, ThreadPoolExecutor, multiprocessing',
    code: () => withKit(py`
import threading, _thread
report = {}
report['threading'] = attempt(lambda: threading.Thread(target=lambda: None).start())
report['_thread'] = attempt(lambda: _thread.start_new_thread(lambda: None, ()))
def pool():
    from concurrent.futures import ThreadPoolExecutor
    return ThreadPoolExecutor(1).submit(lambda: 1).result(timeout=1)
def process():
    import multiprocessing
    p = multiprocessing.Process(target=print)
    p.start()
    return p.pid
report['pool'] = attempt(pool)
report['multiprocessing'] = attempt(process)
return json.dumps(report)`),
    expect: ([r]) => expectAllRefused(valueOf(r!)),
  },
  {
    name: 'arms signal.alarm and an interval timer, then returns; they must not fire into the next run',
    code: () => withKit(py`
import signal
report = {'alarm': attempt(lambda: signal.alarm(1))}
report['itimer'] = attempt(lambda: signal.setitimer(signal.ITIMER_REAL, 0.3, 0.3))
return json.dumps(report)`),
    expect: ([r]) => expect(r!.isError, r!.text).toBe(false),
    waitAfterMs: 1_500,
  },
  {
    name: 'ignores SIGINT, then loops forever',
    code: () => 'import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass',
    expect: ([r]) => expectCode(r!, 'SANDBOX_CPU'),
  },
  {
    name: 'swallows every KeyboardInterrupt and BaseException in a nested loop',
    code: () => 'while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        continue',
    expect: ([r]) => expectCode(r!, 'SANDBOX_CPU'),
  },
  {
    name: 'allocates a gigabyte at once',
    code: () => 'x = bytearray(10 ** 9)\nreturn len(x)',
    expect: ([r]) => expectCode(r!, 'SANDBOX_MEMORY'),
  },
  {
    name: 'grows memory while catching MemoryError',
    code: () => 'keep = []\nwhile True:\n    try:\n        keep.append(bytearray(2 ** 20))\n    except MemoryError:\n        continue',
    expect: ([r]) => expectCode(r!, 'SANDBOX_MEMORY'),
  },
  {
    name: 'raises the recursion limit to a million and recurses',
    code: () => 'import sys\nsys.setrecursionlimit(10 ** 6)\ndef f(n):\n    return f(n + 1) + 1\nreturn f(0)',
    expect: ([r]) => expectCode(r!, 'SANDBOX_STACK'),
  },
  {
    name: 'floods print, sys.stderr and os.write on fds 1 and 2',
    code: () => 'import os, sys\nfor i in range(20000):\n    print("y" * 200)\nfor i in range(2000):\n    sys.stderr.write("e" * 500 + "\\n")\nos.write(1, b"z" * 5_000_000)\nos.write(2, b"w" * 5_000_000)\nreturn "flooded"',
    // Fixed after the recorded run: a flood may also end at the CPU limit (it did, at 3 s); both are contained.
    expect: ([r]) => {
      if (r!.isError) expectCode(r!, 'SANDBOX_CPU');
      else expect(r!.text).toContain('flooded');
      expect(r!.text.length).toBeLessThan(200_000);
    },
  },
  {
    name: 'returns a value larger than maxResultBytes',
    code: () => 'return "x" * (3 * 2 ** 20)',
    expect: ([r]) => expectCode(r!, 'LIMIT_OUTPUT'),
  },
  {
    name: 'returns a list nested 200k deep',
    code: () => 'v = []\nfor i in range(200000):\n    v = [v]\nreturn v',
    expect: ([r]) => expectCode(r!, 'SANDBOX_STACK'),
  },
  {
    name: 'sends a tool call argument larger than maxArgumentBytes',
    code: () => 'return await fixture.echo({"value": "a" * (2 * 2 ** 20)})',
    expect: ([r]) => {
      expect(r!.isError, r!.text).toBe(true);
      expect(r!.text).toContain('too large');
    },
  },
  {
    name: 'makes far more tool calls than maxToolCalls, catching every error',
    code: () => 'n = 0\nfor i in range(200):\n    try:\n        await fixture.echo({"value": i})\n        n += 1\n    except BaseException:\n        pass\nreturn n',
    expect: ([r]) => expectCode(r!, 'LIMIT_TOOL_CALLS'),
  },
  {
    name: 'calls the host function directly with names outside the catalog and values that are not text',
    code: () => withKit(py`
hc = find_host_call()
calls = [('fixture', 'not_a_tool', '{}'), ('__proto__', 'constructor', '{}'), ('fixture', '__proto__', '{}'),
         ('constructor', 'constructor', '{}'), ('toString', 'call', '{}'), ('fixture', 'echo', None), (1, 2, 3)]
return json.dumps([int(hc(*c)) for c in calls])`),
    expect: ([r]) => expect(valueOf(r!)).toEqual([-1, -1, -1, -1, -1, -1, -1]),
  },
  {
    name: 'sends arguments that are not JSON: NaN, an object, bytes, a set, a circular dict',
    code: () => withKit(py`
circular = {}
circular['self'] = circular
report = []
for bad in (float('nan'), object(), b'bytes', {1, 2}, circular):
    try:
        await fixture.echo({'value': bad})
        report.append('sent')
    except TypeError:
        report.append('TypeError')
return json.dumps(report)`),
    expect: ([r]) => expect(valueOf(r!)).toEqual(['TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError']),
  },
  {
    name: 'sends __proto__ and constructor keys; a later call sees no polluted prototype',
    code: () => withKit(py`
try:
    first = await fixture.echo({'__proto__': {'polluted': 'yes'}, 'constructor': {'prototype': {'polluted': 'yes'}}, 'value': 1})
    first = 'answered'
except ToolError as e:
    first = 'ToolError:' + e.code
second = await fixture.echo({'value': 2})
return json.dumps({'first': first, 'second': json.dumps(second)})`),
    expect: ([r]) => {
      const seen = valueOf(r!) as { first: string; second: string };
      expect(seen.first).toMatch(/^(answered|ToolError:)/);
      expect(seen.second).not.toContain('polluted');
    },
  },
  {
    name: 'sends an argument nested 200k deep',
    code: () => 'v = 0\nfor i in range(200000):\n    v = [v]\nreturn await fixture.echo({"value": v})',
    expect: ([r]) => expectCodeIn(r!, ['GUEST_THREW', 'SANDBOX_STACK']),
  },
  {
    name: 'awaits a sleep of a million seconds',
    code: () => 'import asyncio\nawait asyncio.sleep(10 ** 6)\nreturn "woke"',
    expect: ([r]) => expectCode(r!, 'SANDBOX_TIMEOUT'),
  },
  {
    name: 'schedules a busy loop with call_later and returns at once; the next run must still answer',
    code: () => 'import asyncio\ndef spin():\n    while True:\n        pass\nasyncio.get_event_loop().call_later(0.2, spin)\nreturn "scheduled"',
    expect: ([r]) => expect(r).toMatchObject({ isError: false, text: 'scheduled' }),
    waitAfterMs: 600,
  },
  {
    name: 'exits the interpreter with os._exit',
    code: () => 'import os\nos._exit(3)',
    expect: ([r]) => expectCodeIn(r!, ['SANDBOX_CRASHED', 'GUEST_THREW']),
  },
  {
    name: 'crashes the interpreter: faulthandler._sigsegv',
    code: () => 'import faulthandler\nfaulthandler._sigsegv()\nreturn "survived"',
    expect: ([r]) => expectCodeIn(r!, ['SANDBOX_CRASHED', 'GUEST_THREW']),
  },
  {
    name: 'replaces the prelude\'s deliver with one that raises, then makes a call',
    code: () => 'import sys\ndef broken(*args):\n    raise RuntimeError("broken deliver")\nsys.modules["_cemcp"].deliver = broken\nreturn await fixture.echo({"value": 1})',
    // Changed after the recorded run: the bridge now binds deliver before the program starts, so the
    // replacement changes nothing and the call answers (it used to end the run with an error).
    expect: ([r]) => {
      expect(r!.isError, r!.text).toBe(false);
      expect(r!.text).toContain('"value":1');
    },
  },
  {
    name: 'reads stdin',
    code: () => withKit(py`
return json.dumps({'input': attempt(lambda: input('> ')), 'read': attempt(lambda: sys.stdin.read())})`),
    expect: ([r]) => {
      const report = valueOf(r!) as Record<string, string>;
      expect(report['input']).toMatch(/^ERR:/);
      expect(report['read']).toMatch(/^ERR:|^OK:''$/);
    },
  },
  {
    name: 'asks an upstream for its environment: no secret of the gateway or another upstream',
    code: () => 'import json\nreturn json.dumps(await everything.get_env({}))',
    expect: ([r]) => expect(r!.isError, r!.text).toBe(false),
    hostPathsAllowed: true,
  },
  {
    name: 'backtracks a regex catastrophically',
    code: () => 'import re\nreturn bool(re.match(r"(a+)+$", "a" * 64 + "b"))',
    expect: ([r]) => expectCode(r!, 'SANDBOX_CPU'),
  },
];
