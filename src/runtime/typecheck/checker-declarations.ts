// The declaration files a program is checked against: the catalog (the same renderer `cemcp types`
// uses, with every `unknown` read as `any` so data whose shape was never learned checks as anything)
// and the sandbox's own globals (console, ToolError). Host namespaces bring their own declarations
// (HostNamespace.declaration). Pure; imported by the checker worker and its tests.
import ts from 'typescript';
import { renderDeclarations, type Operation } from '../../catalog/index.js';

/** What renderDeclarations closes with; the checker declares a fuller ToolError in SANDBOX_GLOBALS. */
const RENDERED_TOOL_ERROR = 'declare class ToolError extends Error { code: string; data?: unknown }';

/** console and ToolError as the guest prelude defines them (sandbox/guest-prelude.ts). */
export const SANDBOX_GLOBALS = `interface Console {
  log(...data: any[]): void;
  info(...data: any[]): void;
  warn(...data: any[]): void;
  error(...data: any[]): void;
  debug(...data: any[]): void;
}
declare var console: Console;
declare class ToolError extends Error {
  constructor(message?: string, code?: string, data?: any);
  code: string;
  data?: any;
}
`;

/** The catalog as the checker reads it: no doc lines (nothing to check there), `unknown` as `any`. */
export function renderCheckerDeclarations(operations: readonly Operation[]): string {
  return unknownAsAny(renderDeclarations(operations, { maxDocTokens: 0 }).replace(RENDERED_TOOL_ERROR, ''));
}

/**
 * Every `unknown` keyword of a declaration text as `any`: a result without a declared or inferred
 * type is data the program may read freely. Scanned as tokens, so `"unknown"` in an enum stays.
 */
export function unknownAsAny(text: string): string {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ true, ts.LanguageVariant.Standard, text);
  const parts: string[] = [];
  let last = 0;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.UnknownKeyword) {
      const start = scanner.getTokenStart();
      parts.push(text.slice(last, start), 'any');
      last = scanner.getTokenEnd();
    }
  }
  parts.push(text.slice(last));
  return parts.join('');
}
