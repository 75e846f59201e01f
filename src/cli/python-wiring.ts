// Makes the Python engine from cemcp.python: absent when disabled; started at once with `prestart`
// (the sandbox process makes its interpreter snapshot while the gateway starts), else on first use.
import type { PythonSettings } from '../config/index.js';
import { createPythonEngine, type Engine } from '../sandbox/index.js';

export function createPythonEngineFor(settings: PythonSettings, maxArgumentBytes: number): Engine | undefined {
  if (!settings.enabled) return undefined;
  const engine = createPythonEngine({ poolSize: settings.poolSize, processPerRun: settings.processPerRun, maxArgumentBytes });
  if (settings.prestart) engine.prepare?.();
  return engine;
}
