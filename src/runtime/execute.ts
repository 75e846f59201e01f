// execute(): transpile a program, run it in the engine with the catalog's namespaces and a host
// bridge, and surface the outcome within the token budget. Errors are text a model can act on:
// the user's line and column, the tool's message, or the limit that was hit, never host stacks.
import { countTokens, isCemcpError, describeError } from '../common/index.js';
import type { Catalog } from '../catalog/index.js';
import type { Engine, Limits, RunFailure, RunStats } from '../sandbox/index.js';
import { createBridge, type ToolCallRecord, type ToolInvoker } from './bridge.js';
import { surface } from './surface.js';
import { PROGRAM_FILE, transpileProgram, type TranspiledProgram } from './transpile.js';

export interface RuntimeLimits extends Limits {
  readonly maxToolCalls: number;
  readonly toolCallTimeoutMs: number;
}

export interface RuntimeOptions {
  readonly engine: Engine;
  readonly invoker: ToolInvoker;
  readonly limits: RuntimeLimits;
  /** Token budget of the surfaced text. */
  readonly maxTokens: number;
}

export interface ExecuteResult {
  readonly ok: boolean;
  /** What the model sees. */
  readonly text: string;
  readonly errorCode?: string;
  /** Tokens of the program as sent, and of the surfaced text. */
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly cut: boolean;
  readonly calls: readonly ToolCallRecord[];
  readonly stats?: RunStats;
}

export async function executeProgram(
  code: string,
  catalog: Catalog,
  options: RuntimeOptions,
  signal?: AbortSignal,
): Promise<ExecuteResult> {
  const tokensIn = countTokens(code);
  let program: TranspiledProgram;
  try {
    program = await transpileProgram(code);
  } catch (error) {
    const text = isCemcpError(error) ? error.message : `SyntaxError: ${describeError(error)}`;
    return { ok: false, text, errorCode: 'SYNTAX_ERROR', tokensIn, tokensOut: countTokens(text), cut: false, calls: [] };
  }
  const { bridge, calls } = createBridge(catalog, options.invoker, options.limits, signal);
  const outcome = await options.engine.run(
    { code: program.code, filename: PROGRAM_FILE, api: catalog.api(), limits: options.limits },
    bridge,
  );
  const error = outcome.ok ? undefined : describeFailure(outcome.error, program, options.limits);
  const shaped = surface(
    { ...(error ? { error } : {}), logs: outcome.logs, logsTruncated: outcome.logsTruncated, valueJson: outcome.ok ? outcome.valueJson : undefined },
    options.maxTokens,
  );
  return {
    ok: outcome.ok,
    text: shaped.text,
    ...(outcome.ok ? {} : { errorCode: outcome.error.code }),
    tokensIn,
    tokensOut: shaped.tokens,
    cut: shaped.cut,
    calls,
    stats: outcome.stats,
  };
}

function describeFailure(failure: RunFailure, program: TranspiledProgram, limits: RuntimeLimits): string {
  switch (failure.code) {
    case 'SANDBOX_CPU':
      return `Error [SANDBOX_CPU]: CPU time limit hit (${limits.cpuMs} ms of computation); the run was stopped.`;
    case 'SANDBOX_TIMEOUT':
      return `Error [SANDBOX_TIMEOUT]: wall time limit hit (${limits.wallMs} ms); the run was stopped.`;
    case 'SANDBOX_MEMORY':
      return `Error [SANDBOX_MEMORY]: memory limit hit (${Math.round(limits.memoryBytes / 2 ** 20)} MiB); the run was stopped.`;
    case 'SANDBOX_STACK':
      return `Error [SANDBOX_STACK]: stack depth limit hit (runaway recursion?); the run was stopped.${where(failure, program)}`;
    case 'GUEST_THREW': {
      const name = failure.name ?? 'Error';
      const label = failure.toolCode ? `ToolError [${failure.toolCode}]` : name;
      return `Uncaught ${label}: ${failure.message}${where(failure, program)}`;
    }
    default:
      return `Error [${failure.code}]: ${failure.message}`;
  }
}

function where(failure: RunFailure, program: TranspiledProgram): string {
  const position = failure.position && program.toSourcePosition(failure.position);
  if (!position) return '';
  const line = program.sourceLine(position.line)?.trim() ?? '';
  return `\n  at line ${position.line}, column ${position.column}: ${line.length > 160 ? `${line.slice(0, 160)}…` : line}`;
}
