// Each closure of the Python sandbox is needed: the engine is started with one closure removed
// (PythonEngineOptions.removeClosuresForTest, which nothing outside this test sets) and a probe of
// the battery (python-probes.ts) then escapes, or, where layers overlap by design, the outer layer
// is shown to hold and removing both escapes. With every closure in place every probe is contained.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../e2e/harness.js';
import type { BridgeReply, Engine, HostBridge, Limits } from '../../src/sandbox/engine.js';
import { PYTHON_CLOSURES, type PythonClosure } from '../../src/sandbox/python-closures.js';
import { createPythonEngine } from '../../src/sandbox/python-engine.js';
import { TIGHT_LIMITS } from './gateway.js';
import { isContained, probe, PYTHON_PROBES, type ProbeResult, type ProbeWorld } from './python-probes.js';

// The battery's limits, with a shorter wall clock: a run past it ends at the engine's backstop (wall + grace + 5 s).
const LIMITS: Limits = { ...TIGHT_LIMITS, cpuMs: 3_000, wallMs: 6_000 };
const ENV_NAME = 'CEMCP_CLOSURES_TEST_SECRET';
const ENV_SECRET = `closure-env-${process.pid}-${Date.now()}`;
const HOST_TOKEN = `closure-host-file-${process.pid}`;
const STARTUP_MS = 120_000;

/** Answers every host call with `{}`: the probes need a namespace to call, not an upstream. */
const bridge: HostBridge = { call: async (): Promise<BridgeReply> => ({ ok: true, json: '{}' }) };

describe('the Python sandbox needs each of its closures', () => {
  let listener: Server;
  let hits = 0;
  let port = 0;
  const hostDir = tempDir('cemcp-pyclosures-');
  const readableDir = path.dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));

  beforeAll(async () => {
    writeFileSync(path.join(hostDir, 'secret.txt'), HOST_TOKEN);
    // Seen by a sandbox process only when `empty-env` is removed (it then inherits this environment).
    process.env[ENV_NAME] = ENV_SECRET;
    listener = createServer((_req, res) => {
      hits += 1;
      res.end('reached');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as AddressInfo).port;
  });
  afterAll(async () => {
    delete process.env[ENV_NAME];
    await new Promise((resolve) => listener.close(resolve));
  });

  /** A world of its own for each engine: a fresh marker path, the hit counter reset. */
  function world(): ProbeWorld {
    hits = 0;
    return { marker: path.join(tempDir('cemcp-pyclosures-mark-'), 'pwned'), port, hostDir, hostToken: HOST_TOKEN, readableDir, envName: ENV_NAME };
  }

  async function withEngine(removed: readonly PythonClosure[], body: (run: (id: string, w: ProbeWorld) => Promise<ProbeResult>) => Promise<void>): Promise<void> {
    const engine: Engine = createPythonEngine({ poolSize: 1, graceMs: 500, maxArgumentBytes: 1 << 20, removeClosuresForTest: removed });
    try {
      const first = await engine.run({ code: 'return 1', filename: 'program.py', api: {}, limits: LIMITS }, bridge);
      expect(first.ok, JSON.stringify(first)).toBe(true);
      await body(async (id, w) => {
        let result: ProbeResult = { code: 'none' };
        for (const code of probe(id).runs(w)) {
          const outcome = await engine.run({ code, filename: 'program.py', api: { memory: ['search_nodes'] }, limits: LIMITS }, bridge);
          result = outcome.ok
            ? { code: 'ok', value: outcome.valueJson === undefined ? undefined : JSON.parse(outcome.valueJson) }
            : { code: outcome.error.code, message: `${outcome.error.name ?? ''}: ${outcome.error.message}` };
        }
        return result;
      });
    } finally {
      await engine.close();
    }
  }

  const expectContained = (id: string, result: ProbeResult): void => {
    expect(isContained(result, probe(id).contained), `${id}: ${JSON.stringify(result)}`).toBe(true);
  };
  const valueOf = (result: ProbeResult): unknown => {
    expect(result.code, JSON.stringify(result)).toBe('ok');
    return result.value;
  };

  it('with every closure in place, every probe is contained and reaches nothing', async () => {
    await withEngine([], async (run) => {
      const escaped: string[] = [];
      for (const p of PYTHON_PROBES) {
        const w = world();
        const result = await run(p.id, w);
        if (!isContained(result, p.contained)) escaped.push(`${p.id}: ${JSON.stringify(result)}`);
        if (existsSync(w.marker)) escaped.push(`${p.id} wrote a file on the host`);
        if (hits > 0) escaped.push(`${p.id} reached the listener`);
      }
      expect(escaped).toEqual([]);
    });
  }, 300_000);

  it('function-constructors: JavaScript runs in the host worker (outer layers hold: no env, file, shell, socket or thread)', async () => {
    await withEngine(['function-constructors'], async (run) => {
      const w = world();
      expect(valueOf(await run('js-climb', w))).toEqual([true, ['js:object']]);
      expect(existsSync(w.marker)).toBe(false);
      expect(hits).toBe(0);
    });
  }, STARTUP_MS);

  it('function-constructors + empty-env: the gateway\'s environment is read', async () => {
    await withEngine(['function-constructors', 'empty-env'], async (run) => {
      expect(valueOf(await run('js-climb', world()))).toEqual([true, ['js:object', `env:${ENV_SECRET}`]]);
    });
  }, STARTUP_MS);

  it('function-constructors + permission-model: a host file is read, a command runs, a thread starts', async () => {
    await withEngine(['function-constructors', 'permission-model'], async (run) => {
      const w = world();
      expect(valueOf(await run('js-climb', w))).toEqual([true, ['js:object', `read:${HOST_TOKEN}`, 'shell:ran', 'thread:started']]);
      expect(existsSync(w.marker)).toBe(true);
    });
  }, STARTUP_MS);

  it('function-constructors + network-apis: a socket reaches the loopback listener', async () => {
    await withEngine(['function-constructors', 'network-apis'], async (run) => {
      expect(valueOf(await run('js-climb', world()))).toEqual([true, ['js:object', 'net:connecting']]);
      expect(hits).toBeGreaterThan(0);
    });
  }, STARTUP_MS);

  it('js-modules: pyodide\'s API mounts a host folder (the permission model still holds the rest)', async () => {
    await withEngine(['js-modules'], async (run) => {
      expect(valueOf(await run('pyodide-api', world()))).toEqual(['import', 'listed:pyodide.asm.wasm', 'JsException']);
    });
  }, STARTUP_MS);

  it('js-leftovers: pyodide\'s API is still in sys.modules and in the import specs gc finds', async () => {
    await withEngine(['js-leftovers'], async (run) => {
      expect(valueOf(await run('pyodide-api', world()))).toEqual(['import', 'listed:pyodide.asm.wasm', 'JsException']);
    });
  }, STARTUP_MS);

  it('js-modules + permission-model: the mounted host folder is read', async () => {
    await withEngine(['js-modules', 'permission-model'], async (run) => {
      expect(valueOf(await run('pyodide-api', world()))).toEqual(['import', 'listed:pyodide.asm.wasm', 'listed:secret.txt', `read:${HOST_TOKEN}`]);
    });
  }, STARTUP_MS);

  it('jsglobals alone is held by js-modules; both removed: `import js` is the worker\'s globalThis', async () => {
    await withEngine(['jsglobals'], async (run) => {
      expectContained('js-import', await run('js-import', world()));
    });
    await withEngine(['jsglobals', 'js-modules'], async (run) => {
      expect(valueOf(await run('js-import', world()))).toEqual([['js', 'pyodide_js', 'pyodide_js._api', 'object'], ['js', 'pyodide_js', 'pyodide_js._api']]);
    });
  }, 2 * STARTUP_MS);

  it('unsafe-builtins: _imp.create_builtin makes CPython\'s test modules; _ctypes fails in its init (import-ffi holds)', async () => {
    await withEngine(['unsafe-builtins'], async (run) => {
      expect(valueOf(await run('raw-memory', world()))).toEqual(['ModuleNotFoundError', 'MemoryError', '_testcapi', '_testinternalcapi', 1]);
    });
  }, STARTUP_MS);

  it('unsafe-builtins + import-ffi: _ctypes is made and reads the interpreter\'s memory', async () => {
    await withEngine(['unsafe-builtins', 'import-ffi'], async (run) => {
      expect(valueOf(await run('raw-memory', world()))).toEqual(['ModuleNotFoundError', '_ctypes', '_testcapi', '_testinternalcapi', 'read:16', 1]);
    });
  }, STARTUP_MS);

  it('ctypes-import alone is held by unsafe-builtins; with both and import-ffi removed `import ctypes` works', async () => {
    await withEngine(['ctypes-import'], async (run) => {
      expect(valueOf(await run('raw-memory', world()))).toEqual(['AttributeError', 'AttributeError', 'AttributeError', 'AttributeError', 0]);
    });
    await withEngine(['ctypes-import', 'unsafe-builtins', 'import-ffi'], async (run) => {
      expect(valueOf(await run('raw-memory', world()))).toEqual(['ctypes', '_ctypes', '_testcapi', '_testinternalcapi', 'read:16', 1]);
    });
  }, 2 * STARTUP_MS);

  it('fresh-interpreter: files, patched builtins and modules, and import hooks carry over to the next run', async () => {
    await withEngine(['fresh-interpreter'], async (run) => {
      expect(valueOf(await run('leftovers', world()))).toEqual([true, true, 'patched', true, '<lambda>']);
    });
  }, STARTUP_MS);

  it('heap-cap: a 64 MiB string is allocated past a 16 MiB memory limit', async () => {
    await withEngine(['heap-cap'], async (run) => {
      expect(await run('memory', world())).toEqual({ code: 'ok', value: 64 * 2 ** 20 });
    });
  }, STARTUP_MS);

  it('terminate: a program that catches KeyboardInterrupt runs past its CPU limit until the gateway\'s backstop', async () => {
    await withEngine(['terminate'], async (run) => {
      const result = await run('ki-loop', world());
      expect(result.code).toBe('SANDBOX_TIMEOUT');
      expect(result.message).toMatch(/the Python sandbox process was restarted$/);
    });
  }, STARTUP_MS);

  it('interrupt alone is held by terminate (the worker is stopped); both removed: a plain loop runs until the backstop', async () => {
    await withEngine(['interrupt'], async (run) => {
      const result = await run('cpu-loop', world());
      expect(result.code).toBe('SANDBOX_CPU');
      expect(result.message).toMatch(/and its worker was stopped$/);
    });
    await withEngine(['interrupt', 'terminate'], async (run) => {
      const result = await run('cpu-loop', world());
      expect(result.code).toBe('SANDBOX_TIMEOUT');
      expect(result.message).toMatch(/the Python sandbox process was restarted$/);
    });
  }, 2 * STARTUP_MS);

  it('import-system alone is held by the permission model (the worker dies); both removed: os.system runs a shell command', async () => {
    await withEngine(['import-system'], async (run) => {
      const w = world();
      const result = await run('shell', w);
      expect(result.code).toBe('SANDBOX_CRASHED');
      expect(result.message).toMatch(/Access to this API has been restricted/);
      expect(existsSync(w.marker)).toBe(false);
    });
    await withEngine(['import-system', 'permission-model'], async (run) => {
      const w = world();
      expect(valueOf(await run('shell', w))).toEqual([0, 'OSError', 'OSError', 'OSError']);
      expect(existsSync(w.marker)).toBe(true);
    });
  }, 2 * STARTUP_MS);

  it('import-sockets alone: sockets fail otherwise and getaddrinfo answers (Emscripten\'s own resolver), but no listener is reached', async () => {
    await withEngine(['import-sockets'], async (run) => {
      expect(valueOf(await run('sockets', world()))).toEqual(['OSError', 'OSError', 'reached', 'NameError']);
      expect(hits).toBe(0);
    });
  }, STARTUP_MS);

  it('no closure can be named from config, the CLI or a program: only the engine and this test know the option', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (full.endsWith('.ts')) files.push(full);
      }
    };
    walk(path.join(ROOT, 'src'));
    const naming = files.filter((file) => readFileSync(file, 'utf8').includes('removeClosuresForTest')).map((file) => path.relative(ROOT, file));
    expect(naming).toEqual(['src/sandbox/python-closures.ts', 'src/sandbox/python-engine.ts']);
    expect(readFileSync(path.join(ROOT, 'src/sandbox/index.ts'), 'utf8')).not.toContain('python-closures');
    expect(readFileSync(path.join(ROOT, 'src/cli/python-wiring.ts'), 'utf8')).toMatch(/createPythonEngine\(\{ poolSize: settings\.poolSize, maxArgumentBytes \}\)/);
    expect(PYTHON_CLOSURES.length).toBeGreaterThan(0);
  });
});

// The two closures of the worker's realm (python-realm.ts), each shown by two runs in one worker:
// what the first leaves in the realm, the second meets.
describe('the Python sandbox needs its realm closures', () => {
  const FIND_HOST_CALL = 'import sys\nf = sys._getframe()\nwhile "host_call" not in f.f_locals:\n    f = f.f_back\nhc = f.f_locals["host_call"]\nproto = hc.constructor.getPrototypeOf(hc)\n';
  const MARK = `${FIND_HOST_CALL}try:\n    proto.cemcp_mark = "left"\n    return "marked"\nexcept Exception as e:\n    return type(e).__name__`;
  const READ_MARK = `${FIND_HOST_CALL}return getattr(proto, "cemcp_mark", None)`;
  const SPIN_LATER = 'import asyncio\ndef spin():\n    while True:\n        pass\nasyncio.get_event_loop().call_later(0.3, spin)\nreturn 1';

  /** The first program, a pause (`pauseMs`: what it left behind gets going), then the second, in one worker. */
  async function twoRuns(removed: readonly PythonClosure[], first: string, second: string, pauseMs = 0): Promise<[unknown, unknown]> {
    const engine: Engine = createPythonEngine({ poolSize: 1, graceMs: 500, removeClosuresForTest: removed });
    const limits: Limits = { ...LIMITS, cpuMs: 2_000, wallMs: 4_000 };
    const answer = async (code: string) => {
      const out = await engine.run({ code, filename: 'program.py', api: {}, limits }, bridge);
      return out.ok ? (out.valueJson === undefined ? null : JSON.parse(out.valueJson)) : out.error.code;
    };
    try {
      const before = await answer(first);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      return [before, await answer(second)];
    } finally {
      await engine.close();
    }
  }

  it('frozen-intrinsics: in place, a mark on the prototype every function shares is refused; removed, the next run sees it', async () => {
    expect(await twoRuns([], MARK, READ_MARK)).toEqual(['JsException', null]);
    expect(await twoRuns(['frozen-intrinsics'], MARK, READ_MARK)).toEqual(['marked', 'left']);
  }, 2 * STARTUP_MS);

  it('pending-timers: in place, a callback left to spin after the run costs the next run nothing; removed, it stalls it', async () => {
    expect(await twoRuns([], SPIN_LATER, 'return 2', 1_000)).toEqual([1, 2]);
    const [, stalled] = await twoRuns(['pending-timers'], SPIN_LATER, 'return 2', 1_000);
    expect(['SANDBOX_CPU', 'SANDBOX_TIMEOUT']).toContain(stalled);
  }, 2 * STARTUP_MS);
});
