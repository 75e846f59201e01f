// Enforces STYLE.md's import direction between stages by reading every source file's imports,
// keeps sandbox/ free of MCP (like the SDK's barrelClean test), and keeps the bench package
// (bench/) outside the product: src/ never imports it, it imports src/ through stage indexes only.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.dirname(fileURLToPath(import.meta.url));
const BENCH = path.resolve(SRC, '../bench');

const ALLOWED: Record<string, readonly string[]> = {
  common: [],
  config: ['common'],
  upstream: ['common', 'config'],
  catalog: ['common', 'config', 'upstream'],
  sandbox: ['common'],
  privacy: ['common'],
  audit: ['common'],
  session: ['common'],
  runtime: ['common', 'catalog', 'sandbox', 'privacy', 'audit'],
  server: ['common', 'config', 'catalog', 'runtime', 'session'],
  cli: ['common', 'config', 'upstream', 'catalog', 'sandbox', 'privacy', 'audit', 'session', 'runtime', 'server'],
};

// Code that runs inside each sandbox worker takes common/'s tokenizer-free leaves directly:
// common/index.js also loads the o200k tokenizer (~60 MB), which every worker would then carry.
const WORKER_DIRECT_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  'sandbox/guest-prelude.ts': ['common/cut.js'],
  'sandbox/log-buffer.ts': ['common/cut.js'],
};

function sourceFiles(dir: string, tests = false): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'results' ? [] : sourceFiles(full, tests);
    return entry.name.endsWith('.ts') && (tests || !entry.name.endsWith('.test.ts')) ? [full] : [];
  });
}

/** Relative imports of `file`, each resolved to an absolute path. */
function resolvedImports(file: string): { spec: string; target: string }[] {
  return importsOf(file).filter((spec) => spec.startsWith('.')).map((spec) => ({ spec, target: path.resolve(path.dirname(file), spec) }));
}

const inside = (dir: string, target: string) => !path.relative(dir, target).startsWith('..');

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

describe('architecture', () => {
  const files = sourceFiles(SRC);

  it('has a source file in every stage it checks', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('imports flow one way between stages, through each stage index', () => {
    const problems: string[] = [];
    for (const file of files) {
      const stage = path.relative(SRC, file).split(path.sep)[0]!;
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const target = path.relative(SRC, path.resolve(path.dirname(file), spec)).split(path.sep);
        const targetStage = target[0]!;
        if (targetStage === stage) continue;
        if (!(ALLOWED[stage] ?? []).includes(targetStage)) problems.push(`${path.relative(SRC, file)} imports ${spec} (${stage} -> ${targetStage})`);
        else if (WORKER_DIRECT_IMPORTS[path.relative(SRC, file)]?.includes(target.join('/'))) continue;
        else if (target.slice(1).join('/') !== 'index.js') problems.push(`${path.relative(SRC, file)} imports ${spec}: go through ${targetStage}/index.ts`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps sandbox/ free of MCP and of other stages', () => {
    const offenders = files
      .filter((f) => path.relative(SRC, f).startsWith(`sandbox${path.sep}`))
      .flatMap((f) => importsOf(f).filter((s) => s.startsWith('@modelcontextprotocol') || /^\.\.\/(?!common\/)/.test(s)).map((s) => `${f}: ${s}`));
    expect(offenders).toEqual([]);
  });

  it('never loads the tokenizer into a sandbox worker (nor anything through common/index)', () => {
    const reached = new Set<string>();
    const visit = (file: string): void => {
      if (reached.has(file)) return;
      reached.add(file);
      const text = readFileSync(file, 'utf8');
      // Type-only imports vanish at build time; only value imports load modules in the worker.
      for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)) {
        visit(path.resolve(path.dirname(file), m[1]!.replace(/\.js$/, '.ts')));
      }
    };
    visit(path.join(SRC, 'sandbox/worker-entry.ts'));
    const loaded = [...reached].map((f) => path.relative(SRC, f));
    expect(loaded).toContain('sandbox/guest-prelude.ts');
    expect(loaded.filter((f) => f === 'common/index.ts' || f === 'common/tokens.ts')).toEqual([]);
  });

  it('never imports the bench package from src/ (tests included), nor anything outside src/ from library code', () => {
    const offenders = sourceFiles(SRC, true).flatMap((file) => resolvedImports(file)
      .filter(({ target }) => inside(BENCH, target) || (!file.endsWith('.test.ts') && !inside(SRC, target)))
      .map(({ spec }) => `${path.relative(SRC, file)} imports ${spec}`));
    expect(offenders).toEqual([]);
  });

  it('lets bench/ import src/ only through a stage index, and never cli/', () => {
    const benchFiles = sourceFiles(BENCH, true);
    expect(benchFiles.length).toBeGreaterThan(5);
    const problems = benchFiles.flatMap((file) => resolvedImports(file)
      .filter(({ target }) => inside(SRC, target))
      .filter(({ target }) => {
        const [stage, ...rest] = path.relative(SRC, target).split(path.sep);
        return stage === 'cli' || !(stage! in ALLOWED) || rest.join('/') !== 'index.js';
      })
      .map(({ spec }) => `${path.relative(BENCH, file)} imports ${spec}`));
    expect(problems).toEqual([]);
  });

  it('keeps the call pipeline in its boundaries: steps know only the step contract, one file composes them', () => {
    const rel = (f: string) => path.relative(SRC, f).split(path.sep).join('/');
    const inRuntime = files.filter((f) => rel(f).startsWith('runtime/'));
    const problems: string[] = [];
    for (const file of inRuntime) {
      const from = rel(file);
      for (const spec of importsOf(file).filter((s) => s.startsWith('.'))) {
        const to = rel(path.resolve(path.dirname(file), spec)).replace(/\.js$/, '.ts');
        const toStep = to.startsWith('runtime/pipeline/') && !['runtime/pipeline/index.ts', 'runtime/pipeline/call-step.ts'].includes(to);
        // A step never imports another step: the order lives in build.ts alone.
        if (from.startsWith('runtime/pipeline/') && toStep && from !== 'runtime/pipeline/build.ts' && from !== 'runtime/pipeline/index.ts') problems.push(`${from} imports ${spec}`);
        // Outside the pipeline, only its index is imported.
        if (!from.startsWith('runtime/pipeline/') && to.startsWith('runtime/pipeline/') && to !== 'runtime/pipeline/index.ts') problems.push(`${from} imports ${spec}: go through pipeline/index.ts`);
        // Host namespaces and pipeline steps never reach back into the bridge, execute or oversight.
        if ((from.startsWith('runtime/pipeline/') || from.startsWith('runtime/namespaces/')) && /^runtime\/(bridge|execute|oversight)\.ts$/.test(to)) problems.push(`${from} imports ${spec}`);
      }
    }
    // The one place that knows the steps and their order.
    expect(importsOf(path.join(SRC, 'runtime/pipeline/build.ts')).filter((s) => /^\.\/(?!call-step)/.test(s)).length).toBeGreaterThanOrEqual(7);
    expect(problems).toEqual([]);
  });

  it('keeps console, process.exit and process.env out of library code', () => {
    const offenders = files
      .filter((f) => !path.relative(SRC, f).startsWith(`cli${path.sep}`))
      // The Python sandbox process's entry is a composition root of its own (it exits with its pipe).
      .filter((f) => path.relative(SRC, f) !== path.join('sandbox', 'python-host.ts'))
      .filter((f) => /\bconsole\.(log|error|warn|info)\(|process\.exit\(|process\.env\b/.test(readFileSync(f, 'utf8').replace(/\/\/.*$/gm, '')))
      .map((f) => path.relative(SRC, f));
    expect(offenders).toEqual([]);
  });
});
