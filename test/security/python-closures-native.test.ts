// Each closure of the Python sandbox is needed (see python-closures.test.ts): native code, memory
// and the host's syscalls.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closureWorld, STARTUP_MS } from './python-closures-kit.js';

describe('the Python sandbox needs each of its closures: native code, memory, syscalls', () => {
  const { world, withEngine, valueOf, hits } = closureWorld();

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
      expect(hits()).toBe(0);
    });
  }, STARTUP_MS);
});
