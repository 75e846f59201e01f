// Which of TypeScript's reports stop a run: only those that involve a type the catalog or a host
// namespace declares (a misspelled tool or namespace, a field a declared result lacks, a bad
// argument to a catalog function, a catalog call not awaited). Everything else TypeScript says about
// a program (its own helpers, data it parsed itself) is left to the run. Pure over a ts.Program.
import ts from 'typescript';
import { describeUnknownName, searchCall, suggestOperations, type ApiNames } from '../../catalog/index.js';
import { fitsLoosely, isApiCall, isApiSymbolAt, isApiType, isPendingApiCall, isPromise, skipParentheses, type ApiView } from './api-types.js';

export interface RuleContext extends ApiView {
  readonly sourceFile: ts.SourceFile;
  /** The globals the declarations define (namespaces, `fetch`, `ToolError`), for misspellings. */
  readonly globals: ReadonlySet<string>;
  /** Namespace -> its functions, as declared: what a misspelled namespace is matched against. */
  readonly api: ApiNames;
}

export interface Finding {
  /** Offset in the checked text. */
  readonly start: number;
  readonly message: string;
  readonly code: number;
}

const MISSING_PROPERTY = new Set([2339, 2551]);
const MISSING_NAME = new Set([2304, 2552]);
/** Assignability reports that may sit inside a call's arguments. */
const ARGUMENT_CODES = new Set([2322, 2326, 2345, 2353, 2375, 2379, 2554, 2555, 2559, 2561, 2739, 2740, 2741, 2769, 2820]);
/** An object literal naming a property the parameter doesn't have: a wrong argument name. */
const EXCESS_PROPERTY = new Set([2353, 2561]);
/** `for (const x of promise)`, `[...promise]`: not iterable. */
const NOT_ITERABLE = new Set([2488, 2495, 2504, 2548, 2549]);
const NOT_CALLABLE = new Set([2349]);
const AWAIT_HINT = ' Did you forget `await`? A catalog call returns a Promise.';

/** The finding that stops the run for `diagnostic`, or undefined when the run should decide. */
export function judge(diagnostic: ts.Diagnostic, ctx: RuleContext): Finding | undefined {
  if (diagnostic.start === undefined || diagnostic.file !== ctx.sourceFile) return undefined;
  const node = nodeAt(ctx.sourceFile, diagnostic.start);
  const code = diagnostic.code;
  const text = messageOf(diagnostic);
  const found = (message: string) => ({ start: diagnostic.start ?? 0, message, code });
  if (MISSING_PROPERTY.has(code)) {
    const verdict = missingProperty(node, ctx);
    if (verdict === undefined) return undefined;
    if (verdict.kind === 'await') return found(`${text}${AWAIT_HINT}`);
    return found(code === 2551 ? text : `${text}${suggest(verdict)}`);
  }
  if (MISSING_NAME.has(code)) {
    const meant = misspelledGlobal(node, text, ctx);
    return meant === undefined ? undefined : found(meant);
  }
  if (NOT_ITERABLE.has(code)) {
    const expr = spannedExpression(node, diagnostic, ctx.sourceFile);
    return expr && isPendingApiCall(ctx, expr) ? found(`${firstLine(text)}${AWAIT_HINT}`) : undefined;
  }
  if (NOT_CALLABLE.has(code)) {
    const call = enclosing(node, ts.isCallExpression);
    const callee = call ? skipParentheses(call.expression) : undefined;
    if (!callee) return undefined;
    return isApiSymbolAt(ctx, callee) || isApiType(ctx, ctx.checker.getTypeAtLocation(callee)) ? found(text) : undefined;
  }
  if (ARGUMENT_CODES.has(code)) {
    if (!badArgument(node, diagnostic, ctx)) return undefined;
    return found(code === 2353 ? `${text}${parameterNames(node, ctx)}` : text);
  }
  return undefined;
}

type MissingProperty =
  | { readonly kind: 'await' }
  /** `known`: the names the type does have; `namespace`: it is a namespace (its functions). */
  | { readonly kind: 'block'; readonly name: string; readonly known: readonly string[]; readonly namespace: boolean };

/** Whether `a.b`, `b` missing, stops the run (reading a Promise: 'await'), or undefined. */
function missingProperty(node: ts.Node, ctx: RuleContext): MissingProperty | undefined {
  let objectType: ts.Type;
  let objectExpr: ts.Expression | undefined;
  const parent = node.parent;
  let probe = false;
  if (parent && ts.isPropertyAccessExpression(parent) && parent.name === node) {
    // `typeof a.b`, `a.b?.c`, `if (a.b)`, `a.b ?? []`: the program asks whether it is there.
    probe = isProbe(parent, ctx.sourceFile);
    objectExpr = parent.expression;
    objectType = ctx.checker.getTypeAtLocation(objectExpr);
  } else if (parent && ts.isBindingElement(parent) && ts.isObjectBindingPattern(parent.parent)) {
    // `const { b = 0 } = a`: a default is the program saying the field may be absent.
    probe = parent.initializer !== undefined;
    objectType = ctx.checker.getTypeAtLocation(parent.parent);
    const declaration = parent.parent.parent;
    if (ts.isVariableDeclaration(declaration) && declaration.initializer) objectExpr = declaration.initializer;
  } else {
    return undefined;
  }
  const name = ts.isIdentifier(node) || ts.isPrivateIdentifier(node) ? node.text : node.getText(ctx.sourceFile);
  if (isPromise(objectType)) {
    const awaited = ctx.checker.getAwaitedType(objectType);
    const fromApi = (objectExpr && isPendingApiCall(ctx, objectExpr)) || (awaited !== undefined && isApiType(ctx, awaited));
    return fromApi ? { kind: 'await' } : undefined;
  }
  if (probe) return undefined;
  const members = objectType.isUnion() ? objectType.types : [objectType];
  // In some member of a union: the program may have checked which one it holds.
  if (members.some((m) => m.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown) || m.getProperty(name) !== undefined)) return undefined;
  const block = (): MissingProperty => ({
    kind: 'block',
    name,
    known: members.flatMap((m) => m.getProperties().map((p) => p.getName())),
    namespace: members.some((m) => (m.getSymbol()?.flags ?? 0) & ts.SymbolFlags.Module),
  });
  if (members.every((m) => isApiType(ctx, m))) return block();
  // A field of a declared result holding a string, number or array (`entity.name.filter`).
  return objectExpr && isApiSymbolAt(ctx, skipParentheses(objectExpr)) ? block() : undefined;
}

/** An access the program tests before relying on it, or guards by testing the same expression. */
function isProbe(access: ts.PropertyAccessExpression, sourceFile: ts.SourceFile): boolean {
  let outer: ts.Node = access;
  while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const parent = outer.parent;
  if (!parent) return false;
  if (ts.isTypeOfExpression(parent) || (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken)) return true;
  if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent) || ts.isCallExpression(parent)) && parent.expression === outer && parent.questionDotToken) return true;
  if (isTested(outer, parent)) return true;
  // Guarded: `if (a.b) a.b.c`, `a.b ? a.b.c : d`, `a.b && a.b.c`.
  const text = access.getText(sourceFile);
  for (let child: ts.Node = outer, n = parent; n; child = n, n = n.parent) {
    const test = guardOf(n, child);
    if (test && test.getText(sourceFile).includes(text)) return true;
    if (ts.isFunctionLike(n) || ts.isSourceFile(n)) break;
  }
  return false;
}

/** `expr` is a test: a condition, or the left side of `&&`, `||`, `??`. */
function isTested(expr: ts.Node, parent: ts.Node): boolean {
  if ((ts.isIfStatement(parent) || ts.isWhileStatement(parent) || ts.isDoStatement(parent)) && parent.expression === expr) return true;
  if (ts.isConditionalExpression(parent) && parent.condition === expr) return true;
  if (ts.isForStatement(parent) && parent.condition === expr) return true;
  if (ts.isBinaryExpression(parent) && parent.left === expr) {
    const op = parent.operatorToken.kind;
    return op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken;
  }
  return false;
}

/** The test that guards `child` within `node`, if `child` is the guarded branch. */
function guardOf(node: ts.Node, child: ts.Node): ts.Expression | undefined {
  if (ts.isIfStatement(node) && (node.thenStatement === child || node.elseStatement === child)) return node.expression;
  if (ts.isConditionalExpression(node) && (node.whenTrue === child || node.whenFalse === child)) return node.condition;
  if (ts.isBinaryExpression(node) && node.right === child) return node.left;
  return undefined;
}

/** " Did you mean 'x'?" from the names the type has, when TypeScript found none close enough; for a namespace, how to search. */
function suggest(missing: Extract<MissingProperty, { kind: 'block' }>): string {
  let near = suggestOperations({ t: missing.known }, 't', missing.name, 2).map((n) => n.slice(2));
  if (near.length === 0) near = byWordPrefixes(missing.name, missing.known);
  if (near.length) return ` Did you mean ${near.map((n) => `'${n}'`).join(' or ')}?`;
  if (missing.namespace) return ` Find the operation with the search tool: ${searchCall(missing.name)}.`;
  // Nothing close: the fields it does have, so the next program reads the right one.
  const fields = [...new Set(missing.known)];
  return fields.length ? ` It has: ${fields.slice(0, 12).join(', ')}${fields.length > 12 ? ', …' : ''}.` : '';
}

/** Known names each of whose words starts with one written word, in order (`list_dir` -> `list_directory`). */
function byWordPrefixes(written: string, known: readonly string[]): string[] {
  const want = wordsOf(written);
  if (want.length === 0) return [];
  return known.filter((name) => {
    const have = wordsOf(name);
    return have.length === want.length && want.every((w, i) => have[i]!.startsWith(w));
  }).slice(0, 2);
}

function wordsOf(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

/** An argument named wrong: the names the parameter does take (`path, tail?, head?`), when TypeScript suggested none. */
function parameterNames(node: ts.Node, ctx: RuleContext): string {
  const literal = enclosing(node, ts.isObjectLiteralExpression);
  const target = literal ? ctx.checker.getContextualType(literal) : undefined;
  if (!target) return '';
  const names = target.getProperties().map((p) => `${p.getName()}${p.flags & ts.SymbolFlags.Optional ? '?' : ''}`);
  if (names.length === 0) return '';
  const shown = names.slice(0, 12).join(', ');
  return ` It takes: ${shown}${names.length > 12 ? ', …' : ''}.`;
}

/**
 * The message for a name that is not defined when it stands for a declared global: TypeScript's own
 * when it suggests one (`consle` -> `console`), else, used as `x.y` or `x(...)`, the catalog's
 * did-you-mean (`memories.read_graph` -> `memory.read_graph`). Undefined otherwise.
 */
function misspelledGlobal(node: ts.Node, message: string, ctx: RuleContext): string | undefined {
  if (!ts.isIdentifier(node)) return undefined;
  const suggested = /Did you mean '([^']+)'\?/.exec(message)?.[1];
  if (suggested !== undefined && ctx.globals.has(suggested)) return message;
  // Only where it is used as a namespace or called: a type name in a JSDoc comment is no call.
  const parent = node.parent;
  const member = parent && ts.isPropertyAccessExpression(parent) && parent.expression === node ? parent.name.text : undefined;
  const called = parent && ts.isCallExpression(parent) && parent.expression === node;
  if (member === undefined && !called) return undefined;
  // `typeof fetch === 'function' && fetch(…)`: the program checks whether the name exists.
  if (new RegExp(`typeof\\s*\\(?\\s*${node.text.replace(/\$/g, '\\$')}\\b`).test(ctx.sourceFile.text)) return undefined;
  const unknown = describeUnknownName(ctx.api, node.text, member);
  return unknown && /did you mean/.test(unknown) ? `Cannot find name '${node.text}': ${unknown}.` : undefined;
}

/** A report inside the arguments of a catalog call that a run would fail on too. */
function badArgument(node: ts.Node, diagnostic: ts.Diagnostic, ctx: RuleContext): boolean {
  const at = diagnostic.start ?? 0;
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (!ts.isCallExpression(n) || !isApiCall(ctx, n)) continue;
    const argument = n.arguments.find((a) => a.getStart(ctx.sourceFile) <= at && at < a.getEnd());
    if (diagnostic.code === 2554 || diagnostic.code === 2555) {
      if (argument) continue; // about a call made inside this argument
      return tooFewArguments(diagnostic);
    }
    if (!argument) {
      if (n.expression.getStart(ctx.sourceFile) <= at && at < n.expression.getEnd()) return false;
      continue; // a report on another call that holds this one
    }
    // A fresh object literal with a name the parameter lacks: a misspelled argument.
    if (EXCESS_PROPERTY.has(diagnostic.code)) return true;
    const parameter = ctx.checker.getContextualType(argument);
    if (!parameter) return false;
    return !fitsLoosely(ctx.checker, ctx.checker.getTypeAtLocation(argument), parameter);
  }
  return false;
}

/** "Expected 1 arguments, but got 0." blocks; "but got 2" (an extra argument, ignored) does not. */
function tooFewArguments(diagnostic: ts.Diagnostic): boolean {
  const m = /Expected (\d+)(?:-(\d+))? arguments?, but got (\d+)/.exec(firstLine(messageOf(diagnostic)));
  return !!m && Number(m[3]) < Number(m[1]);
}

/** The smallest node holding `position` (a token, usually an identifier). */
export function nodeAt(sourceFile: ts.SourceFile, position: number): ts.Node {
  let node: ts.Node = sourceFile;
  for (;;) {
    const child: ts.Node | undefined = node.forEachChild((c) => (c.getStart(sourceFile) <= position && position < c.getEnd() ? c : undefined));
    if (!child) return node;
    node = child;
  }
}

/** The largest expression the diagnostic spans that starts where it starts. */
function spannedExpression(node: ts.Node, diagnostic: ts.Diagnostic, sourceFile: ts.SourceFile): ts.Expression | undefined {
  const start = diagnostic.start ?? 0;
  const end = start + (diagnostic.length ?? 0);
  let best: ts.Expression | undefined;
  for (let n: ts.Node | undefined = node; n && n.getStart(sourceFile) === start && n.getEnd() <= end; n = n.parent) {
    if (ts.isExpression(n)) best = n;
  }
  return best;
}

function enclosing<T extends ts.Node>(node: ts.Node, test: (n: ts.Node) => n is T): T | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (test(n)) return n;
  return undefined;
}

/** The report's first line and, when it elaborates, its most specific line. */
export function messageOf(diagnostic: ts.Diagnostic): string {
  const lines = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n').split('\n').map((l) => l.trim()).filter(Boolean);
  const first = lines[0] ?? '';
  const last = lines[lines.length - 1] ?? '';
  return lines.length > 1 && last !== first ? `${first} ${last}` : first;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
