// Each closure of the Python sandbox is needed: the engine is started with one closure removed
// (PythonEngineOptions.removeClosuresForTest, which nothing outside these tests sets) and a probe of
// the battery (python-probes.ts) then escapes, or, where layers overlap by design, the outer layer
// is shown to hold and removing both escapes. With every closure in place every probe is contained.
// This file: the ways from Python to JavaScript and what JavaScript in the worker could reach.
// python-closures-native.test.ts: native code, memory and the host's syscalls;
// python-closures-limits.test.ts: stopping a run, and the worker's realm.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../e2e/harness.js';
import { PYTHON_CLOSURES } from '../../src/sandbox/python-closures.js';
import { closureWorld, STARTUP_MS } from './python-closures-kit.js';
import { isContained, PYTHON_PROBES } from './python-probes.js';

describe('the Python sandbox needs each of its closures: Python to JavaScript', () => {
  const { world, withEngine, expectContained, valueOf, hits, envSecret, hostToken } = closureWorld();

  it('with every closure in place, every probe is contained and reaches nothing', async () => {
    await withEngine([], async (run) => {
      const escaped: string[] = [];
      for (const p of PYTHON_PROBES) {
        const w = world();
        const result = await run(p.id, w);
        if (!isContained(result, p.contained)) escaped.push(`${p.id}: ${JSON.stringify(result)}`);
        if (existsSync(w.marker)) escaped.push(`${p.id} wrote a file on the host`);
        if (hits() > 0) escaped.push(`${p.id} reached the listener`);
      }
      expect(escaped).toEqual([]);
    });
  }, 300_000);

  it('function-constructors: JavaScript runs in the host worker (outer layers hold: no env, file, shell, socket or thread)', async () => {
    await withEngine(['function-constructors'], async (run) => {
      const w = world();
      expect(valueOf(await run('js-climb', w))).toEqual([true, ['js:object']]);
      expect(existsSync(w.marker)).toBe(false);
      expect(hits()).toBe(0);
    });
  }, STARTUP_MS);

  it('function-constructors + empty-env: the gateway\'s environment is read', async () => {
    await withEngine(['function-constructors', 'empty-env'], async (run) => {
      expect(valueOf(await run('js-climb', world()))).toEqual([true, ['js:object', `env:${envSecret}`]]);
    });
  }, STARTUP_MS);

  it('function-constructors + permission-model: a host file is read, a command runs, a thread starts', async () => {
    await withEngine(['function-constructors', 'permission-model'], async (run) => {
      const w = world();
      expect(valueOf(await run('js-climb', w))).toEqual([true, ['js:object', `read:${hostToken}`, 'shell:ran', 'thread:started']]);
      expect(existsSync(w.marker)).toBe(true);
    });
  }, STARTUP_MS);

  it('function-constructors + network-apis: a socket reaches the loopback listener', async () => {
    await withEngine(['function-constructors', 'network-apis'], async (run) => {
      expect(valueOf(await run('js-climb', world()))).toEqual([true, ['js:object', 'net:connecting']]);
      expect(hits()).toBeGreaterThan(0);
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
      expect(valueOf(await run('pyodide-api', world()))).toEqual(['import', 'listed:pyodide.asm.wasm', 'listed:secret.txt', `read:${hostToken}`]);
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
    expect(readFileSync(path.join(ROOT, 'src/cli/python-wiring.ts'), 'utf8')).toMatch(/createPythonEngine\(\{ poolSize: settings\.poolSize, processPerRun: settings\.processPerRun, maxArgumentBytes \}\)/);
    expect(PYTHON_CLOSURES.length).toBeGreaterThan(0);
  });
});
