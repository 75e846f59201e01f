// Static check of a program (the transpiled JavaScript) with acorn: flags code that probes for
// escape routes — process/require/module/global references, eval/Function, dynamic import,
// constructor and prototype chains, dynamic lookups on the global object, and string-built names
// ('con' + 'structor'). A flag is a signal for the audit, not a block. Pure; used by runtime/.
import { parse } from 'acorn';
import type { Flag } from './record.js';

type AstNode = { readonly type: string; readonly start: number; readonly loc?: { readonly start: { readonly line: number; readonly column: number } } } & Record<string, unknown>;

const GLOBALS = new Set([
  'process', 'require', 'module', 'exports', 'global', 'globalThis', 'eval', 'Function', 'WebAssembly',
  'Deno', 'Bun', '__dirname', '__filename', 'importScripts', 'self', 'window',
]);
const PROPERTIES = new Set([
  'constructor', '__proto__', 'prototype', 'getPrototypeOf', 'setPrototypeOf', '__defineGetter__', '__defineSetter__',
  '__lookupGetter__', '__lookupSetter__', 'caller', 'callee', 'mainModule', 'binding', 'dlopen',
]);
const GLOBAL_OBJECTS = new Set(['globalThis', 'self', 'window', 'global']);

/** Maps a (line, column) of the checked code to the user's line, when it can. */
export type LineMapper = (line: number, column: number) => number | undefined;

/** Findings for `code`; none when it does not parse (the run reports the syntax error itself). */
export function checkProgram(code: string, mapLine: LineMapper = (line) => line): Flag[] {
  let ast: AstNode;
  try {
    ast = parse(code, { ecmaVersion: 'latest', sourceType: 'script', locations: true, allowAwaitOutsideFunction: true, allowReturnOutsideFunction: true }) as unknown as AstNode;
  } catch {
    return [];
  }
  const flags: Flag[] = [];
  const seen = new Set<string>();
  const report = (node: AstNode, what: string): void => {
    const start = node.loc?.start;
    const line = start ? mapLine(start.line, start.column + 1) : undefined;
    const key = `${what}@${line ?? '?'}`;
    if (seen.has(key)) return;
    seen.add(key);
    flags.push({ kind: 'probe', message: `program ${what}${line ? ` (line ${line})` : ''}`, ...(line ? { line } : {}) });
  };

  const visit = (node: AstNode, parent: AstNode | undefined, key: string): void => {
    switch (node.type) {
      case 'Identifier':
        if (GLOBALS.has(node.name as string) && isReference(parent, key)) report(node, `references ${node.name as string}`);
        break;
      case 'MemberExpression': {
        const property = node.property as AstNode;
        const name = node.computed ? staticString(property) : (property.name as string);
        if (name !== undefined && !node.computed && GLOBALS.has(name) && isGlobalObject(node.object as AstNode)) {
          report(node, `reaches ${name} through the global object`);
        } else if (name !== undefined && (PROPERTIES.has(name) || (node.computed && GLOBALS.has(name)))) {
          report(node, node.computed ? `looks up ["${name.slice(0, 40)}"]` : `accesses .${name}`);
        } else if (node.computed && name === undefined && isGlobalObject(node.object as AstNode)) {
          report(node, 'looks up a computed name on the global object');
        }
        break;
      }
      case 'ImportExpression':
        report(node, 'uses dynamic import()');
        break;
      case 'MetaProperty':
        report(node, 'uses import.meta');
        break;
      case 'WithStatement':
        report(node, 'uses a with statement');
        break;
    }
    for (const [childKey, value] of Object.entries(node)) {
      if (childKey === 'loc') continue;
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) visit(item, node, childKey);
      } else if (isNode(value)) {
        visit(value, node, childKey);
      }
    }
  };
  visit(ast, undefined, '');
  return flags;
}

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** False for names that are not variable references: `a.process`, `{ process: 1 }`, labels. */
function isReference(parent: AstNode | undefined, key: string): boolean {
  if (!parent) return true;
  if (parent.type === 'MemberExpression' && key === 'property' && !parent.computed) return false;
  if ((parent.type === 'Property' || parent.type === 'PropertyDefinition' || parent.type === 'MethodDefinition') && key === 'key' && !parent.computed) {
    return parent.type === 'Property' && parent.shorthand === true;
  }
  return !['LabeledStatement', 'BreakStatement', 'ContinueStatement'].includes(parent.type);
}

function isGlobalObject(node: AstNode): boolean {
  return node.type === 'ThisExpression' || (node.type === 'Identifier' && GLOBAL_OBJECTS.has(node.name as string));
}

/** The value of a string built only from literals: 'a', `a`, 'a' + 'b'; undefined otherwise. */
function staticString(node: AstNode): string | undefined {
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && (node.expressions as unknown[]).length === 0) {
    return ((node.quasis as AstNode[])[0]?.value as { cooked?: string } | undefined)?.cooked ?? undefined;
  }
  if (node.type === 'BinaryExpression' && node.operator === '+') {
    const left = staticString(node.left as AstNode);
    const right = left === undefined ? undefined : staticString(node.right as AstNode);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  return undefined;
}
