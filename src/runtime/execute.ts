// execute(): transpile a program, run it in the engine with the catalog's namespaces and a host
// bridge, and surface the outcome within the token budget. Errors are text a model can act on:
// the user's line and column, the tool's message, or the limit that was hit, never host stacks.
import { countTokens, isCemcpError, describeError, LOCAL_PRINCIPAL } from '../common/index.js';
import type { ApiNames, Catalog } from '../catalog/index.js';
import type { ToolInvoker } from '../common/index.js';
import { PYTHON_PROGRAM_FILE, type Engine, type GuestForm, type Limits, type RunOutcome, type RunStats } from '../sandbox/index.js';
import type { Flag } from '../audit/index.js';
import { createBridge } from './bridge.js';
import { describeRunFailure } from './failure-text.js';
import { FETCH_NAMESPACE, type HostNamespace, type RunLibrary } from './namespaces/index.js';
import { beginOversight, type ExecuteContext, type OversightOptions, type RunOversight } from './oversight.js';
import { pythonProgram, type SourceProgram } from './python-program.js';
import { buildCallPipeline, createAdmission, type CallLimits } from './pipeline/index.js';
import { scopeHooks, withLiveLogs } from './run-events.js';
import { RUN_ENDED, RunScope, type CallTally, type ToolCallRecord } from './run-scope.js';
import type { HandleLimits } from './result-handles.js';
import { surfaceKept } from './surface-kept.js';
import { checkBeforeRun, type TypeCheckOptions } from './typecheck/index.js';
import { PROGRAM_FILE, transpileProgram, type TranspiledProgram } from './transpile.js';
import { describeCutShortWaits, type UpstreamLimiter } from './upstream-limiter.js';

export interface RuntimeLimits extends Limits, CallLimits {
  /** Calls one run may start; past it the run ends with LIMIT_TOOL_CALLS. */
  readonly maxToolCalls: number;
}

export interface RuntimeOptions {
  readonly engine: Engine;
  readonly invoker: ToolInvoker;
  readonly limits: RuntimeLimits;
  /** Token budget of the surfaced text. */
  readonly maxTokens: number;
  /** Policy, audit sink, redactor and flag thresholds (all optional). */
  readonly oversight?: OversightOptions;
  /** Globals the gateway answers itself (e.g. `fetch` when an egress allowlist is configured). */
  readonly namespaces?: readonly HostNamespace[];
  /** Type-check before run (cemcp.typecheck): the mode and the warm checker; absent: programs run unchecked. */
  readonly typecheck?: TypeCheckOptions;
  /** The process-wide per-upstream limits (a step of the call pipeline); a failed run names the limits its waiting calls were held by. */
  readonly upstreamLimiter?: UpstreamLimiter;
  /** Bounds of result handles (a value cut to a preview kept whole in the session); absent: none are kept. */
  readonly handles?: HandleLimits;
  /** The engine of `language: "python"` programs (its own sandbox process); absent: Python is refused. */
  readonly pythonEngine?: Engine;
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
  /** The result handle the answer names: the whole return value, kept in the session for `handles.get`. */
  readonly handle?: string;
  /** The calls the run's scope kept, with their fates (refusals past the call limit are only counted). */
  readonly calls: readonly ToolCallRecord[];
  /** Every call the run started, by fate. */
  readonly tally?: CallTally;
  readonly stats?: RunStats;
  /** Id of the audit record of this run, and the flags raised. */
  readonly auditId?: string;
  readonly flags?: readonly Flag[];
}

export async function executeProgram(
  code: string,
  catalog: Catalog,
  options: RuntimeOptions,
  signal?: AbortSignal,
  context: ExecuteContext = {},
): Promise<ExecuteResult> {
  const oversight = beginOversight(code, options.oversight ?? {}, context);
  const tokensIn = countTokens(code);
  const namespaces = new Map((options.namespaces ?? []).map((ns) => [ns.name, ns]));
  if (context.language === 'python') {
    // Python: no transpile, type-check or skills (they are JavaScript); its own engine and process.
    if (!options.pythonEngine) {
      const text = 'Python is not enabled on this gateway (cemcp.python.enabled); write the program in JavaScript, or ask for Python to be enabled.';
      const refused = { ok: false, text, errorCode: 'PYTHON_DISABLED', tokensIn, tokensOut: countTokens(text), cut: false, calls: [] };
      return { ...refused, ...oversight.finish({ ...refused, logsTruncated: false, tally: await new RunScope().close() }) };
    }
    const program = pythonProgram(code);
    return runProgram({ program, filename: PYTHON_PROGRAM_FILE, engine: options.pythonEngine, namespaces, library: undefined, typed: undefined }, { catalog, options, signal, context, oversight, tokensIn });
  }
  let program: TranspiledProgram;
  try {
    program = await transpileProgram(code);
  } catch (error) {
    const text = oversight.protectText(isCemcpError(error) ? error.message : `SyntaxError: ${describeError(error)}`);
    const failed = { ok: false, text, errorCode: 'SYNTAX_ERROR', tokensIn, tokensOut: countTokens(text), cut: false, calls: [] };
    return { ...failed, ...oversight.finish({ ...failed, logsTruncated: false, tally: await new RunScope().close() }) };
  }
  oversight.checkProgram(program);
  // Saved skills the program may call run in this run, as guest JavaScript (skills-namespace.ts);
  // read first, so the check below knows every skill saved until now (in any session or process).
  const libraries = await prepareLibraries(namespaces, program.code);
  const library = libraries[0];
  // Checked against the declared types (typecheck/): block mode refuses here, before any call is made.
  const typed = await checkBeforeRun(code, program, catalog, [...namespaces.values()], options.typecheck);
  if (typed.refusal !== undefined) {
    const text = oversight.protectText(typed.refusal);
    const refused = { ok: false, text, errorCode: 'TYPE_ERROR', tokensIn, tokensOut: countTokens(text), cut: false, calls: [] };
    return { ...refused, ...oversight.finish({ ...refused, logsTruncated: false, tally: await new RunScope().close() }) };
  }
  return runProgram({ program, filename: PROGRAM_FILE, engine: options.engine, namespaces, library, typed }, { catalog, options, signal, context, oversight, tokensIn });
}

/** A program ready to run, in either language. */
interface PreparedRun {
  readonly program: SourceProgram;
  readonly filename: string;
  readonly engine: Engine;
  readonly namespaces: ReadonlyMap<string, HostNamespace>;
  readonly library: RunLibrary | undefined;
  /** The type-check's warnings (warn mode); absent for Python. */
  readonly typed: { warnings(): Promise<string | undefined> } | undefined;
}

interface RunSetting {
  readonly catalog: Catalog;
  readonly options: RuntimeOptions;
  readonly signal: AbortSignal | undefined;
  readonly context: ExecuteContext;
  readonly oversight: RunOversight;
  readonly tokensIn: number;
}

/** Runs a prepared program through the bridge (pipeline, PII, policy, audit) and surfaces the outcome. */
async function runProgram(prepared: PreparedRun, setting: RunSetting): Promise<ExecuteResult> {
  const { program, filename, engine, namespaces, library, typed } = prepared;
  const { catalog, options, signal, context, oversight, tokensIn } = setting;
  // The run's call scope: every call is registered there and takes its signal; closing it (below,
  // whatever way the run ended) drops the calls not yet at an upstream and cancels those in flight.
  const scope = new RunScope({ parent: signal, ...scopeHooks(context.events, oversight.onCall) });
  // The policy as it applies to the run's principal (cemcp.policy.principals layered over the global lists).
  const policy = options.oversight?.policy?.forPrincipal(context.session?.principal ?? LOCAL_PRINCIPAL);
  const admission = createAdmission({ policy, confirm: context.confirm, flags: oversight.flags, signal: scope.signal });
  const bridge = createBridge({
    catalog,
    namespaces,
    scope,
    maxToolCalls: options.limits.maxToolCalls,
    pipeline: buildCallPipeline({ invoker: options.invoker, limits: options.limits, signal: scope.signal, flags: oversight.flags, admission, pii: oversight.pii, upstreamLimiter: options.upstreamLimiter }),
    host: { signal: scope.signal, admission, policy, records: context.records },
  });
  const api = catalog.api();
  const forms: Record<string, GuestForm> = {};
  for (const ns of namespaces.values()) {
    api[ns.name] = [...ns.functions];
    if (ns.form) forms[ns.name] = ns.form;
  }
  let outcome: RunOutcome;
  try {
    // Console lines (tokenized) and call events reach context.events while the run goes on.
    const live = withLiveLogs(bridge, context.events, (text) => oversight.pii?.tokenizeUncounted(text) ?? text);
    outcome = await engine.run({ code: program.code, filename, api, forms, ...(library ? { library: library.library } : {}), limits: options.limits }, live, signal);
  } finally {
    await scope.close();
  }
  // Calls the guest refused itself once its body had settled (e.g. from toJSON of the value).
  if (outcome.stats.lateCalls) scope.count(RUN_ENDED, outcome.stats.lateCalls);
  const tally = scope.tally;
  const calls = scope.records;
  // Out of wall time with calls still queued for an upstream's limit: say which, and the key to raise.
  const waits = !outcome.ok && outcome.error.code === 'SANDBOX_TIMEOUT' ? describeCutShortWaits(options.upstreamLimiter?.cutShort(scope.signal) ?? [], options.upstreamLimiter) : '';
  const failed = outcome.ok ? undefined : describeRunFailure(outcome.error, program, { api: callableApi(catalog, namespaces, library), hasFetch: namespaces.has(FETCH_NAMESPACE), ...(library ? { library } : {}) });
  const error = failed ? `${failed.text}${waits ? `\n${waits}` : ''}` : undefined;
  // surface() tokenizes (oversight.protect) before it cuts anything; a value cut to a preview is kept whole as a handle.
  const shaped = await surfaceKept(
    { ...(error ? { error } : {}), logs: outcome.logs, logsTruncated: outcome.logsTruncated, valueJson: outcome.ok ? outcome.valueJson : undefined },
    options.maxTokens,
    oversight.protect,
    { records: context.records?.session, limits: options.handles },
  );
  // Warn mode: what the checker found follows the answer.
  const warnings = await typed?.warnings();
  const warned = warnings ? oversight.protectText(warnings) : '';
  const result = {
    ok: outcome.ok,
    text: warned ? `${shaped.text}\n${warned}` : shaped.text,
    ...(failed ? { errorCode: failed.code } : {}),
    tokensIn,
    tokensOut: shaped.tokens + (warned ? countTokens(warned) : 0),
    cut: shaped.cut,
    ...(shaped.handle ? { handle: shaped.handle } : {}),
    calls,
    tally,
    stats: outcome.stats,
  };
  return { ...result, ...oversight.finish({ ...result, logsTruncated: outcome.logsTruncated, cpuMs: outcome.stats.cpuMs }) };
}

/** What a program may call by name, for did-you-mean: the upstreams and the host namespaces that are objects (all but `fetch`). */
function callableApi(catalog: Catalog, namespaces: ReadonlyMap<string, HostNamespace>, library: RunLibrary | undefined): ApiNames {
  const api = catalog.api();
  for (const ns of namespaces.values()) if (ns.form !== 'fetch' && ns.form !== 'library') api[ns.name] = [...ns.functions];
  if (library) api[library.library.namespace] = [...library.names];
  return api;
}

/** The run's library namespaces (one engine run installs one: saved skills). A store that fails leaves the run without skills. */
async function prepareLibraries(namespaces: ReadonlyMap<string, HostNamespace>, code: string): Promise<RunLibrary[]> {
  const prepared = await Promise.all([...namespaces.values()].map((ns) => ns.prepareRun?.(code).catch(() => undefined)));
  return prepared.filter((lib): lib is RunLibrary => lib !== undefined);
}
