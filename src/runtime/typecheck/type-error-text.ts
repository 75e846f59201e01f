// What a model reads when the checker found something: each report at the user's line and column
// with the line itself, at most a few, and how to fix it. Pure; imported by run-check.ts.
import type { TypeIssue } from './type-check.js';

const MAX_SHOWN = 3;
const MAX_MESSAGE_CHARS = 360;
const MAX_EXCERPT_CHARS = 160;

const FIX = 'Fix the names and types above (search with detail "full" shows a signature). If the data really has what the declared type lacks, add `// @ts-ignore` on the line above.';

/** Block mode: the run did not start. */
export function describeRefusal(issues: readonly TypeIssue[], sourceLine: (line: number) => string | undefined): string {
  const head = `Type check failed, so the program did not run (no call was made): ${count(issues.length)} against the API's declared types.`;
  return [head, ...describeIssues(issues, sourceLine), FIX].join('\n');
}

/** Warn mode: the run went on; these follow its answer. */
export function describeWarnings(issues: readonly TypeIssue[], sourceLine: (line: number) => string | undefined): string {
  return [`Type warnings (the program ran anyway): ${count(issues.length)} against the API's declared types.`, ...describeIssues(issues, sourceLine)].join('\n');
}

function describeIssues(issues: readonly TypeIssue[], sourceLine: (line: number) => string | undefined): string[] {
  const lines: string[] = [];
  for (const issue of issues.slice(0, MAX_SHOWN)) {
    lines.push(`line ${issue.line}, column ${issue.column}: ${clip(issue.message, MAX_MESSAGE_CHARS)}`);
    const excerpt = sourceLine(issue.line);
    if (excerpt !== undefined && excerpt.trim()) lines.push(`  ${issue.line} | ${clip(excerpt.trimEnd(), MAX_EXCERPT_CHARS)}`);
  }
  if (issues.length > MAX_SHOWN) lines.push(`…and ${issues.length - MAX_SHOWN} more.`);
  return lines;
}

function count(n: number): string {
  return n === 1 ? '1 problem' : `${n} problems`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
