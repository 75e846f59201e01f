// The Python escape battery: hostile `language: "python"` programs against the built gateway over
// stdio (secrets in its environment, a real upstream). Each probe asserts its containment (no
// shell, file, socket, JS or host object reached; each limit with its code), that nothing host-side
// leaks into the answer, and that the gateway still runs JavaScript and Python afterwards.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf, tempDir } from '../e2e/harness.js';
import { expectNoLeak, expectServes, GATEWAY_SECRET, startSecurityGateway, UPSTREAM_SECRET, type SecurityGateway } from './gateway.js';

const PY_LIMITS = { cpuMs: 3_000, wallMs: 10_000 };

describe('Python escape battery', () => {
  let gateway: SecurityGateway;
  let listener: Server;
  let port = 0;
  let hits = 0;
  const markerDir = tempDir('cemcp-pyescape-');
  const marker = path.join(markerDir, 'pwned');

  beforeAll(async () => {
    listener = createServer((_req, res) => {
      hits += 1;
      res.end('reached');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as AddressInfo).port;
    gateway = await startSecurityGateway({ upstreams: ['memory'], limits: PY_LIMITS, settings: { python: { poolSize: 1, prestart: true } } });
    // The first Python run waits for the sandbox's interpreter snapshot.
    expect(await py('return 1')).toEqual({ text: '1', isError: false });
  }, 240_000);
  afterAll(async () => {
    await gateway?.close();
    await new Promise((resolve) => listener.close(resolve));
  });

  async function py(code: string): Promise<{ text: string; isError: boolean }> {
    const result = (await gateway.client.callTool({ name: 'execute', arguments: { code, language: 'python' } }, undefined, { timeout: 120_000 })) as CallToolResult;
    return { text: textOf(result), isError: result.isError === true };
  }

  /** One probe: its own check, no leak, nothing reached outside, and both languages still run. */
  async function probe(code: string, check: (r: { text: string; isError: boolean }) => void): Promise<void> {
    const result = await py(code);
    check(result);
    expectNoLeak(result.text);
    expect(existsSync(marker), 'a probe wrote a file on the host').toBe(false);
    expect(hits, 'a probe reached the loopback listener').toBe(0);
    await expectServes(gateway);
    expect(await py('return [6 * 7, __name__]')).toEqual({ text: '[42,"__main__"]', isError: false });
  }

  const returnsJson = (expected: unknown) => (r: { text: string; isError: boolean }): void => {
    expect(r.isError, r.text).toBe(false);
    expect(JSON.parse(r.text)).toEqual(expected);
  };
  const endsWith = (code: string) => (r: { text: string; isError: boolean }): void => {
    expect(r.isError, r.text).toBe(true);
    expect(r.text).toContain(code);
  };

  it('os.system and subprocess run no shell', async () => {
    await probe(`import os, subprocess
out = [os.system("touch ${marker}")]
try:
    subprocess.run(["touch", "${marker}"])
    out.append("ran")
except BaseException as e:
    out.append(type(e).__name__)
try:
    os.popen("touch ${marker}").read()
    out.append("popen ran")
except BaseException as e:
    out.append("popen " + type(e).__name__)
return [out[0] != 0, "ran" not in out, "popen ran" not in out]`, returnsJson([true, true, true]));
  });

  it('files: open(), os.listdir and /proc see only the interpreter\'s own in-memory files', async () => {
    await probe(`import os
seen = []
for p in ["/etc/passwd", "/proc/self/environ", "/etc/hostname"]:
    try:
        open(p).read()
        seen.append("read " + p)
    except OSError:
        pass
roots = os.listdir("/")
return [seen, "work" in roots, sorted(k for k in os.environ if "SECRET" in k)]`, returnsJson([[], false, []]));
  });

  it('the host\'s own config file and build are out of reach', async () => {
    await probe(`import os
hits = []
for p in [${JSON.stringify(gateway?.configFile ?? '/nonexistent')}, ${JSON.stringify(process.cwd())}]:
    if os.path.exists(p):
        hits.append(p)
return hits`, returnsJson([]));
  });

  it('no JavaScript: import js / pyodide_js fail, run_js and the FFI reach nothing', async () => {
    await probe(`import sys
out = []
for name in ["js", "pyodide_js"]:
    try:
        __import__(name)
        out.append(name + " imported")
    except ImportError:
        pass
try:
    from pyodide.code import run_js
    out.append(str(run_js("typeof process")))
except BaseException as e:
    pass
try:
    from pyodide.ffi import run_sync
except BaseException:
    pass
return [out, "js" in sys.modules, "pyodide_js" in sys.modules]`, returnsJson([[], false, false]));
  });

  it('every JS object reachable from Python (gc, frames, modules) fails to climb to Function', async () => {
    await probe(`import gc, sys
proxies = []
seen = set()
def consider(o):
    if id(o) in seen:
        return
    if "JsProxy" in type(o).__name__ or type(o).__module__ == "pyodide.ffi" or "Js" in type(o).__name__:
        seen.add(id(o))
        proxies.append(o)
for o in gc.get_objects():
    consider(o)
for mod in list(sys.modules.values()):
    for v in list(getattr(mod, "__dict__", {}).values()):
        consider(v)
f = sys._getframe()
while f is not None:
    for v in list(f.f_locals.values()):
        consider(v)
    f = f.f_back
escaped = []
for o in proxies:
    for attempt in ("constructor", "__proto__", "prototype"):
        try:
            fn = getattr(getattr(o, attempt), "constructor")
            got = fn("return typeof process")()
            escaped.append(str(got))
        except BaseException:
            pass
    try:
        escaped.append(str(o.constructor.constructor.constructor("return 1")()))
    except BaseException:
        pass
return [len(escaped), escaped[:3]]`, returnsJson([0, []]));
  });

  it('__subclasses__ and function globals lead to no working os.system', async () => {
    await probe(`out = []
for c in object.__subclasses__():
    init = getattr(c, "__init__", None)
    g = getattr(init, "__globals__", None)
    if isinstance(g, dict) and callable(g.get("system")):
        out.append(g["system"]("touch ${marker}"))
        break
return [len(out) <= 1, all(code != 0 for code in out)]`, returnsJson([true, true]));
  });

  it('ctypes: the import is refused, and through importlib internals its foreign calls do nothing', async () => {
    await probe(`out = []
try:
    import ctypes
    out.append("imported")
except ImportError:
    pass
import sys, _imp, importlib.machinery
sys.modules.pop("_ctypes", None)
sys.modules.pop("ctypes", None)
try:
    spec = importlib.machinery.ModuleSpec("_ctypes", importlib.machinery.BuiltinImporter)
    _ctypes = _imp.create_builtin(spec)
    sys.modules["_ctypes"] = _ctypes
    import ctypes
    libc = ctypes.CDLL(None)
    libc.system(b"touch ${marker}")
    out.append(libc.getpid())
except BaseException as e:
    out.append(type(e).__name__)
return out[:1]`, (r) => {
      expect(r.isError, r.text).toBe(false);
      expect(r.text).not.toContain('imported');
    });
  });

  it('sockets, urllib and pyfetch do not reach a listener on 127.0.0.1', async () => {
    await probe(`import socket, urllib.request
out = []
try:
    s = socket.create_connection(("127.0.0.1", ${port}), timeout=1)
    s.sendall(b"GET / HTTP/1.0\\r\\n\\r\\n")
    out.append("socket")
except BaseException:
    pass
try:
    urllib.request.urlopen("http://127.0.0.1:${port}/", timeout=1).read()
    out.append("urllib")
except BaseException:
    pass
try:
    from pyodide.http import pyfetch
    await pyfetch("http://127.0.0.1:${port}/")
    out.append("pyfetch")
except BaseException:
    pass
try:
    socket.getaddrinfo("localhost", ${port})
    out.append("resolved")
except BaseException:
    pass
return out`, (r) => {
      // Contained either way: nothing reached (asserted by probe), and no way reported success.
      if (r.isError) expect(r.text).toMatch(/SANDBOX_CPU|SANDBOX_TIMEOUT/);
      else expect(JSON.parse(r.text)).toEqual([]);
    });
  });

  it('emscripten FS: the interpreter\'s file system is its own, and writes there die with the run', async () => {
    await probe('open("/tmp/left-behind", "w").write("x")\nreturn 1', returnsJson(1));
    await probe('import os\nreturn os.path.exists("/tmp/left-behind")', returnsJson(false));
  });

  it('signals and threads: raising SIGINT, killing its own pid, starting a thread', async () => {
    await probe(`import os, signal, threading
out = []
try:
    threading.Thread(target=lambda: None).start()
    out.append("thread")
except BaseException as e:
    out.append(type(e).__name__)
return "thread" not in out`, returnsJson(true));
    await probe('import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\nreturn 1', (r) => expect(r.text).toBeTruthy());
    await probe('import os\nos._exit(0)', (r) => expect(r.isError).toBe(true));
    await probe('import signal\nsignal.raise_signal(signal.SIGINT)\nreturn 1', (r) => expect(r.isError).toBe(true));
  });

  it('exhausting the host pipe: floods of print, a huge value and huge arguments are bounded', async () => {
    await probe('for i in range(200000):\n    print("x" * 1000)\nreturn 1', (r) => expect(r.text.length).toBeLessThan(100_000));
    await probe('return "y" * (200 * 1024 * 1024 // 100)', endsWith('LIMIT_OUTPUT'));
    await probe('try:\n    await memory.search_nodes({"query": "z" * (9 * 2**20)})\nexcept BaseException as e:\n    return type(e).__name__', (r) => expect(r.text).toMatch(/ValueError|SANDBOX_MEMORY/));
  });

  it('a program that catches KeyboardInterrupt in a loop is still stopped', async () => {
    await probe('while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass', endsWith('SANDBOX_CPU'));
  });

  it("'a' * 10**9 ends with SANDBOX_MEMORY", async () => {
    await probe("x = 'a' * 10**9\nreturn len(x)", endsWith('SANDBOX_MEMORY'));
  });

  it('a 100k-deep structure in json.dumps ends the run with a stack error, not the gateway', async () => {
    await probe('import json\nx = []\nfor _ in range(100000):\n    x = [x]\nreturn len(json.dumps(x))', endsWith('SANDBOX_STACK'));
  });

  it('nothing of the gateway\'s environment or secrets is visible', async () => {
    const result = await py('import os, sys\nreturn [dict(os.environ), sys.argv, sys.executable]');
    expect(result.text).not.toContain(GATEWAY_SECRET);
    expect(result.text).not.toContain(UPSTREAM_SECRET);
    expectNoLeak(result.text);
  });
});
