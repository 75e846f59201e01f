// Turns upstream names (config keys, tool names, operationIds) into JavaScript identifiers.
// Pure. The mapping is the public contract: `google-drive` -> `google_drive`, `get-sum` -> `get_sum`.

const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else',
  'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof',
  'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void',
  'while', 'with', 'yield', 'let', 'static', 'implements', 'interface', 'package', 'private', 'protected',
  'public', 'await', 'async', 'arguments', 'eval', 'undefined', 'NaN', 'Infinity',
]);

/** True for JavaScript's reserved words and the globals a name must never shadow (`eval`, `undefined`, ...). */
export function isReservedWord(name: string): boolean {
  return RESERVED.has(name);
}

/** Replaces every character that cannot appear in an identifier with `_`; prefixes `_` where needed. */
export function toIdentifier(name: string): string {
  let id = name.replace(/[^A-Za-z0-9_$]/g, '_');
  if (id === '' || /^[0-9]/.test(id) || RESERVED.has(id)) id = `_${id}`;
  return id;
}

/** True for names a guest must never be able to define or shadow (prototype pollution, tool-name injection). */
export function isDangerousName(name: string): boolean {
  return name === '__proto__' || name === 'constructor' || name === 'prototype';
}

/** Globals every sandbox has: a namespace may not shadow them (`JSON`, `console`, `ToolError`, ...). */
const SANDBOX_GLOBALS = new Set([
  'globalThis', 'console', 'ToolError', 'Object', 'Function', 'Array', 'Number', 'Boolean', 'String', 'Symbol',
  'BigInt', 'Math', 'JSON', 'Date', 'RegExp', 'Promise', 'Proxy', 'Reflect', 'Map', 'Set', 'WeakMap', 'WeakSet',
  'WeakRef', 'FinalizationRegistry', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Atomics', 'Iterator',
  'Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError', 'AggregateError',
  'InternalError', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
  'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'parseInt', 'parseFloat',
  'isNaN', 'isFinite', 'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'unescape',
]);

/** Also every Object.prototype member (`toString`, `valueOf`, ...): `name in globalThis` holds for them. */
export function isSandboxGlobal(name: string): boolean {
  return SANDBOX_GLOBALS.has(name) || Object.hasOwn(Object.prototype, name);
}
