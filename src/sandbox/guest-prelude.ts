// The guest-side half of the bridge: JavaScript source evaluated in each fresh context before the
// program. It defines ToolError, console and (when a run starts it) the frozen namespaces, keeps the
// two host functions in its closure (they never touch globalThis), and gives the host a "kit".
// Straight from cut.js: common/index.js would load the tokenizer (~60 MB) into every worker.
import { CUT_MARK } from '../common/cut.js';

/** File name of the prelude in guest stack traces; never the program's, so never a position. */
export const PRELUDE_FILENAME = 'cemcp:prelude';

/** What `hostCall` returns when the host refused the call (bad names); the guest throws. */
export const CALL_REFUSED = -1;

/** What `hostCall` returns when the arguments' JSON is over the byte limit; the guest throws. */
export const CALL_TOO_LARGE = -2;

/** What `hostCall` returns once the program's body has settled (e.g. a call from `toJSON` of the value). */
export const CALL_AFTER_END = -3;

/**
 * A plain function expression, called once per instance by the host (guest-kit.ts) with
 * `(hostCall, hostLog)`, before a run owns the instance; it defines ToolError and console and
 * returns `start`. The run calls `start(apiJson, logBudgetBytes, maxTextChars, maxArgumentBytes, formsJson)`
 * once: it installs the namespaces and returns the kit
 * `{ deliver(callId, ok, text), finish(value, maxChars), describe(error, maxDataChars), define(...) }`.
 *
 * - `hostCall(namespace, fn, argsJson)` -> call id (number), CALL_REFUSED, CALL_TOO_LARGE or CALL_AFTER_END.
 * - `hostLog(level, text, cut)` -> remaining log budget in bytes.
 * - `deliver(callId, ok, text, orText)` settles the promise of one call: ok -> JSON.parse(text)
 *   (with `orText`, the text itself when it is not JSON); not ok -> a ToolError built from the
 *   JSON `{ code, message, data }` in text.
 * - `finish` JSON-serializes the program's value in the guest: a string, `undefined`, or the
 *   string's length (a number) when longer than maxChars; throws a TypeError if it cannot.
 * - `describe` turns any thrown value into JSON `{ name, message, stack, tool, code, dataJson }`,
 *   running the value's getters in the guest (under its limits), never in the host.
 *
 * - `formsJson` names namespaces rendered in another form (RunRequest.forms): `fetch` becomes a
 *   global WHATWG-shaped `fetch(url, init)` over the namespace's `request`; the namespace itself
 *   is not installed. `positional` functions send all their arguments as one JSON array.
 *   `library` waits for the kit's `define(namespace, gate, maxDepth, factories)`
 *   (RunRequest.library), which installs it with its guest-written functions beside the host's.
 *
 * The guest's own `ToolError` is `new ToolError(message, code = 'TOOL_ERROR', data)`, an Error.
 * Intrinsics are captured before the program runs, so a program that patches JSON or Promise
 * changes only its own view, never what the host receives.
 */
export const PRELUDE_SOURCE = String.raw`(function (hostCall, hostLog) {
  'use strict';
  const G = globalThis;
  const O = Object;
  const defineProperty = O.defineProperty;
  const freeze = O.freeze;
  const create = O.create;
  const keys = O.keys;
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const P = Promise;
  const Err = Error;
  const TE = TypeError;
  const RE = RangeError;
  const SE = SyntaxError;
  const str = String;
  const isArray = Array.isArray;
  const pending = create(null);
  // Set by start(), once, before the program exists.
  let logBudget = 0;
  let maxTextChars = 0;
  let maxArgumentBytes = 0;
  let started = false;
  let toldCut = false;

  const clip = (s, n) => (s.length > n ? s.slice(0, n) : s);
  // A clipped message ends with the cut mark: the host's PII tokenizer drops the raw tail before it.
  const clipMarked = (s, n) => (s.length > n ? s.slice(0, n) + ${JSON.stringify(CUT_MARK)} : s);
  const safeMessage = (e) => {
    try { return e instanceof Err ? str(e.message) : str(e); } catch (_) { return 'unknown error'; }
  };

  class ToolError extends Err {
    constructor(message, code, data) {
      super(message);
      this.code = code === undefined ? 'TOOL_ERROR' : code;
      this.data = data;
    }
  }
  defineProperty(ToolError.prototype, 'name', { value: 'ToolError', writable: true, configurable: true });
  defineProperty(G, 'ToolError', { value: ToolError, writable: true, configurable: true });

  const show = (v) => {
    if (typeof v === 'string') return v;
    try { if (v instanceof Err) return str(v.name) + ': ' + str(v.message); } catch (_) {}
    try { const j = stringify(v); if (typeof j === 'string') return j; } catch (_) {}
    try { return str(v); } catch (_) { return '[unprintable]'; }
  };
  const makeLog = (level) => function (...args) {
    if (logBudget <= 0) {
      if (!toldCut) { toldCut = true; hostLog(level, '', true); }
      return;
    }
    let text = '';
    for (let i = 0; i < args.length; i++) {
      text += (i ? ' ' : '') + show(args[i]);
      if (text.length > logBudget) break;
    }
    // A string of n UTF-16 units is at least n UTF-8 bytes: cutting here loses nothing the
    // host would keep, and keeps a huge text from crossing. The host cuts exactly.
    const cut = text.length > logBudget;
    logBudget = hostLog(level, cut ? text.slice(0, logBudget) : text, cut);
  };
  const consoleObject = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    defineProperty(consoleObject, level, { value: makeLog(level), enumerable: true });
  }
  defineProperty(G, 'console', { value: freeze(consoleObject), writable: true, configurable: true });

  // One call to the host: json is the arguments' JSON; answers the promise of the host's reply.
  const callHost = (ns, fn, label, json) => {
    // Characters are a lower bound of UTF-8 bytes: a sure refusal, before anything crosses.
    const tooLarge = () => new RE(label + ': arguments are too large (over ' + maxArgumentBytes + ' bytes of JSON)');
    if (json.length > maxArgumentBytes) throw tooLarge();
    const id = hostCall(ns, fn, json);
    if (id === ${CALL_TOO_LARGE}) throw tooLarge();
    if (id === ${CALL_AFTER_END}) throw new Err(label + ': the run has ended; tool calls are refused once the program returned or threw');
    if (id < 0) throw new TE(label + ' cannot be called');
    // The call site's stack, so a ToolError points at the program line that made the call.
    const site = new Err();
    return new P((resolve, reject) => { pending[id] = { resolve, reject, site, label }; });
  };
  const argsJsonOf = (label, args) => {
    let json;
    try { json = stringify(args); } catch (e) {
      throw new TE(label + ': arguments are not JSON-serializable (' + safeMessage(e) + ')');
    }
    if (typeof json !== 'string') throw new TE(label + ': arguments are not JSON-serializable');
    return json;
  };
  const makeTool = (ns, fn, positional) => {
    const label = ns + '.' + fn;
    const holder = {
      async [fn](...list) {
        let args = list[0];
        if (positional) {
          // JSON would turn an undefined argument into null: refuse it instead.
          for (let i = 0; i < list.length; i++) {
            if (list[i] === undefined) throw new TE(label + ': argument ' + (i + 1) + ' is undefined; pass a JSON value');
          }
          args = list;
        } else if (args === undefined) args = {};
        return callHost(ns, fn, label, argsJsonOf(label, args));
      },
    };
    return holder[fn];
  };
  // The sandbox's fetch: only JSON crosses; the host's egress policy answers; the body arrives as text.
  const makeFetch = (request) => {
    const toRecord = (headers) => {
      const out = {};
      if (!headers) return out;
      if (isArray(headers)) { for (const [k, v] of headers) out[str(k)] = str(v); return out; }
      if (typeof headers.forEach === 'function' && O.getPrototypeOf(headers) !== O.prototype) { headers.forEach((v, k) => { out[str(k)] = str(v); }); return out; }
      for (const k of keys(headers)) out[k] = str(headers[k]);
      return out;
    };
    const makeHeaders = (record) => {
      const map = new Map(O.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
      return freeze({
        get: (name) => { const v = map.get(str(name).toLowerCase()); return v === undefined ? null : v; },
        has: (name) => map.has(str(name).toLowerCase()),
        forEach: (fn) => map.forEach((v, k) => fn(v, k)),
        entries: () => map.entries(),
      });
    };
    return async function fetch(input, init) {
      const options = init || {};
      const url = typeof input === 'string' ? input : str(input && input.url !== undefined ? input.url : input);
      const body = options.body === undefined || options.body === null ? null
        : typeof options.body === 'string' ? options.body : stringify(options.body);
      const r = await request({ url, method: str(options.method || 'GET'), headers: toRecord(options.headers), body });
      return freeze({
        ok: r.status >= 200 && r.status < 300, status: r.status, statusText: r.statusText, url: r.url,
        redirected: r.redirected, headers: makeHeaders(r.headers),
        text: async () => r.body,
        json: async () => parse(r.body),
      });
    };
  };

  // Host functions of the namespaces the run installs later (define), by namespace.
  const deferred = create(null);
  const install = (apiJson, formsJson) => {
    const api = parse(apiJson);
    const forms = parse(formsJson);
    for (const ns of keys(api)) {
      const fns = api[ns];
      if (ns in G || !isArray(fns)) continue; // never shadow a built-in
      if (forms[ns] === 'fetch') {
        defineProperty(G, ns, { value: makeFetch(makeTool(ns, 'request')), writable: true, configurable: true });
        continue;
      }
      if (forms[ns] === 'library') {
        deferred[ns] = fns;
        continue;
      }
      const target = create(null);
      for (const fn of fns) {
        defineProperty(target, fn, { value: makeTool(ns, fn, forms[ns] === 'positional'), enumerable: true });
      }
      defineProperty(G, ns, { value: freeze(target), enumerable: true });
    }
  };

  // A library namespace (RunRequest.library): its host functions (not the gate) beside functions
  // written in guest JavaScript. factories[name] takes the namespace one level deeper and returns
  // the function; each call passes the gate first (the host checks the arguments), then runs the
  // function on a fresh copy of them. Nested past maxDepth, a call throws a RangeError.
  const define = (ns, gate, maxDepth, factories) => {
    const fns = deferred[ns];
    if (!isArray(fns)) return;
    delete deferred[ns];
    const shared = create(null);
    for (const fn of fns) if (fn !== gate) shared[fn] = makeTool(ns, fn);
    const names = keys(factories).filter((name) => !(name in shared) && name !== gate);
    const levels = [];
    const level = (depth) => {
      if (levels[depth] !== undefined) return levels[depth];
      const target = create(null);
      for (const fn of keys(shared)) defineProperty(target, fn, { value: shared[fn], enumerable: true });
      for (const name of names) defineProperty(target, name, { value: makeEntry(name, factories[name], depth), enumerable: true });
      levels[depth] = freeze(target);
      return levels[depth];
    };
    const makeEntry = (name, factory, depth) => {
      const label = ns + '.' + name;
      const holder = {
        async [name](args) {
          if (depth > maxDepth) throw new RE(label + ': ' + ns + ' may call one another at most ' + maxDepth + ' deep');
          if (args === undefined) args = {};
          const json = argsJsonOf(label, args);
          await callHost(ns, gate, label, '{"name":' + stringify(name) + ',"args":' + json + '}');
          return factory(level(depth + 1))(parse(json));
        },
      };
      return holder[name];
    };
    if (!(ns in G)) defineProperty(G, ns, { value: level(1), enumerable: true });
  };

  const deliver = (id, ok, text, orText) => {
    const entry = pending[id];
    if (entry === undefined) return;
    delete pending[id];
    if (ok) {
      let value;
      try { value = parse(text); } catch (e) {
        // Text that is not JSON stays text; JSON nested past the guest's stack is the upstream's fault.
        const message = safeMessage(e);
        if (orText === true && e instanceof SE && message.indexOf('stack overflow') < 0) {
          value = text;
        } else {
          entry.reject(new ToolError(entry.label + ': the result could not be read: ' + clip(message, 200), 'UPSTREAM_PROTOCOL'));
          return;
        }
      }
      entry.resolve(value);
      return;
    }
    let d;
    try { d = parse(text); } catch (_) { d = { code: 'TOOL_ERROR', message: text }; }
    const error = new ToolError(str(d.message), str(d.code), d.data);
    try { defineProperty(error, 'stack', { value: entry.site.stack, writable: true, configurable: true }); } catch (_) {}
    entry.reject(error);
  };

  const finish = (value, maxChars) => {
    let json;
    try { json = stringify(value); } catch (e) {
      throw new TE('the return value is not JSON-serializable: ' + safeMessage(e));
    }
    if (typeof json === 'string' && json.length > maxChars) return json.length;
    return json;
  };

  const describe = (e, maxDataChars) => {
    // No prototype: a program's Object.prototype.toJSON must not decide what this JSON says.
    const out = create(null);
    out.message = '';
    out.stack = '';
    out.tool = false;
    if (e !== null && (typeof e === 'object' || typeof e === 'function')) {
      try { const n = e.name; if (typeof n === 'string') out.name = clip(n, 200); } catch (_) {}
      try { const m = e.message; out.message = clipMarked(typeof m === 'string' ? m : show(e), maxTextChars); } catch (_) {}
      try { const s = e.stack; if (typeof s === 'string') out.stack = clip(s, 16384); } catch (_) {}
      try {
        if (e instanceof ToolError) {
          out.tool = true;
          out.code = clip(str(e.code), 200);
          const j = e.data === undefined ? undefined : stringify(e.data);
          if (typeof j === 'string' && j.length <= maxDataChars) out.dataJson = j;
        }
      } catch (_) {}
    } else {
      out.message = clipMarked(show(e), maxTextChars);
    }
    return stringify(out);
  };

  const kit = freeze({ deliver, finish, describe, define });
  return (apiJson, logBudgetBytes, maxText, maxArgs, formsJson) => {
    if (started) throw new Err('the prelude was already started');
    started = true;
    logBudget = logBudgetBytes;
    maxTextChars = maxText;
    maxArgumentBytes = maxArgs;
    install(apiJson, formsJson);
    return kit;
  };
})`;
