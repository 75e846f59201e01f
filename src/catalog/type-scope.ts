// The named types of one declaration scope (an upstream's namespace, one signature): which local $ref
// got which name, and the resolution and recursion checks of those refs. Imported by schema-to-ts.ts
// and declarations.ts only. Invariant: one name per definition, never one that shadows what we emit.

import { createHash } from 'node:crypto';
import { decodePointerSegment, resolvePointer as resolveJsonPointer, toIdentifier } from '../common/index.js';
import type { JsonSchema } from './operation.js';

export interface NamedType {
  readonly name: string;
  /** The type expression, rendered with the options of the call that first referenced it. */
  readonly type: string;
  /** The target's description, one line, when the call asked for docs. */
  readonly doc?: string;
}

/** Collects the named types that `$ref`s render as. Opaque; read it with `namedTypes`. */
export interface TypeScope {
  readonly [STATE]: ScopeState;
}

const STATE: unique symbol = Symbol('TypeScope');
interface ScopeState {
  /** Per document, the name each pointer got. */
  readonly byRoot: WeakMap<object, Map<string, string>>;
  /** Per pointer and digest of the document's definitions, so copies of one `$defs` share a name. */
  readonly byContent: Map<string, string>;
  readonly used: Set<string>;
  readonly types: Map<string, { name: string; type: string; doc?: string }>;
  /** Names whose bodies are being rendered. */
  readonly pending: Set<string>;
}

// Names a declared type must not take: the renderer emits some unqualified (Promise, Record), and a
// reader takes the others for the global (a `Date` that is really a string misleads a program).
const TAKEN_NAMES = new Set([
  'Promise', 'Record', 'ToolError', 'Array', 'Error', 'Date', 'Object', 'String', 'Number', 'Boolean',
  'Function', 'Symbol', 'Map', 'Set', 'JSON', 'Math', 'RegExp', 'Uint8Array', 'ArrayBuffer',
]);

/** A new scope; `reservedNames` are taken already (types the caller declares itself). */
export function createTypeScope(reservedNames: Iterable<string> = []): TypeScope {
  const state: ScopeState = { byRoot: new WeakMap(), byContent: new Map(), used: new Set(reservedNames), types: new Map(), pending: new Set() };
  return { [STATE]: state };
}

/** The named types declared so far, in order of first reference. */
export function namedTypes(scope: TypeScope): readonly NamedType[] {
  return [...scope[STATE].types.values()].map((t) => ({ ...t }));
}

/** A type name from any text (`entity` -> `Entity`) that shadows nothing a declaration relies on. */
export function toTypeName(text: string): string {
  const name = toIdentifier(text.charAt(0).toUpperCase() + text.slice(1));
  return TAKEN_NAMES.has(name) ? `${name}_` : name;
}

/** The name `ref` in `root` already has, directly or through an identical copy of its definitions. */
export function findNamed(scope: TypeScope, root: JsonSchema, ref: string): string | undefined {
  const state = scope[STATE];
  const known = state.byRoot.get(root)?.get(ref);
  if (known !== undefined) return known;
  // Two tools of one upstream often carry the same $defs: same definitions, same pointer, one type.
  const key = contentKey(root, ref);
  const shared = key === undefined ? undefined : state.byContent.get(key);
  if (shared !== undefined) perRoot(state, root).set(ref, shared);
  return shared;
}

/** Gives `ref` a fresh name, pending until `defineNamed` supplies its body. */
export function reserveNamed(scope: TypeScope, root: JsonSchema, ref: string): string {
  const state = scope[STATE];
  const last = ref.split('/').pop() ?? '';
  const base = ref === '#' ? 'Root' : toTypeName(decodePointerSegment(last));
  let name = base;
  for (let n = 2; state.used.has(name); n++) name = `${base}${n}`;
  state.used.add(name);
  perRoot(state, root).set(ref, name);
  const key = contentKey(root, ref);
  if (key !== undefined) state.byContent.set(key, name);
  state.types.set(name, { name, type: 'unknown' });
  state.pending.add(name);
  return name;
}

export function defineNamed(scope: TypeScope, name: string, type: string, doc?: string): void {
  const state = scope[STATE];
  const entry = state.types.get(name);
  if (!entry) return;
  entry.type = type;
  if (doc) entry.doc = doc;
  state.pending.delete(name);
}

/** Declares a type under a fresh name from `base` (`ReadGraphResult`, else `ReadGraphResult2`), with a doc line. */
export function declareType(scope: TypeScope, base: string, type: string, doc?: string): string {
  const state = scope[STATE];
  const stem = toTypeName(base);
  let name = stem;
  for (let n = 2; state.used.has(name); n++) name = `${stem}${n}`;
  state.used.add(name);
  state.types.set(name, doc ? { name, type, doc } : { name, type });
  return name;
}

/** Names reserved but not yet defined: their bodies are being rendered. */
export function pendingNames(scope: TypeScope): ReadonlySet<string> {
  return scope[STATE].pending;
}

/** The value at a local JSON pointer (`#/$defs/a~1b`), or undefined. */
export function resolvePointer(root: JsonSchema, ref: string): unknown {
  return resolveJsonPointer(root, ref);
}

const recursion = new WeakMap<object, Map<string, boolean>>();
/** True when the definition at `ref` can reach itself through local refs. */
export function isRecursive(root: JsonSchema, ref: string): boolean {
  let memo = recursion.get(root);
  if (!memo) recursion.set(root, (memo = new Map()));
  const cached = memo.get(ref);
  if (cached !== undefined) return cached;
  const seen = new Set<string>();
  const queue = collectRefs(resolvePointer(root, ref));
  let found = false;
  while (queue.length > 0 && !found) {
    const next = queue.pop() as string;
    if (next === ref) found = true;
    else if (!seen.has(next)) {
      seen.add(next);
      queue.push(...collectRefs(resolvePointer(root, next)));
    }
  }
  memo.set(ref, found);
  return found;
}

// Values, not schemas: a `$ref` key inside an example is data.
const VALUE_KEYWORDS = new Set(['enum', 'const', 'default', 'examples', 'example']);
function collectRefs(node: unknown, out: string[] = [], seen = new Set<object>()): string[] {
  if (typeof node !== 'object' || node === null || seen.has(node)) return out;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, out, seen);
    return out;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#')) out.push(value);
    else if (!VALUE_KEYWORDS.has(key)) collectRefs(value, out, seen);
  }
  return out;
}

function perRoot(state: ScopeState, root: JsonSchema): Map<string, string> {
  let map = state.byRoot.get(root);
  if (!map) state.byRoot.set(root, (map = new Map()));
  return map;
}

// Digests, not the JSON itself: an OpenAPI document's components run to megabytes. Cached per
// definitions object, so operations that share one components object hash it once.
const digests = new WeakMap<object, string>();
/** A key equal for the same pointer into identical definitions (`$defs`, `definitions`, `components`), else undefined. */
export function contentKey(root: JsonSchema, ref: string): string | undefined {
  if (!/^#\/(\$defs|definitions|components)\//.test(ref)) return undefined;
  try {
    return [ref, digestOf(root['$defs']), digestOf(root['definitions']), digestOf(root['components'])].join('\n');
  } catch {
    return undefined; // a cyclic in-memory object: dedupe by identity only
  }
}

function digestOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return '-';
  let digest = digests.get(value);
  if (digest === undefined) {
    digest = createHash('sha256').update(JSON.stringify(value)).digest('base64');
    digests.set(value, digest);
  }
  return digest;
}
