// Shapes what `execute` returns to the model: an error line, the captured console, the return
// value, within a token budget (real tokenizer); cut logs are marked, a cut value becomes a preview
// naming its result handle. Order is structural: `protect` (PII tokenization) sees every text
// before anything is cut, and a log entry the log limit cut is marked so the tokenizer drops its tail.
import { CUT_MARK, countTokens, estimateTokens, truncateToTokens } from '../common/index.js';
import type { LogEntry } from '../sandbox/index.js';
import { logCutNotice, resultCutNotice, surfaceCutNotice } from './limit-messages.js';
import { pagingCode, parseValue, previewOf } from './value-preview.js';

export interface SurfaceInput {
  readonly error?: string;
  readonly logs: readonly LogEntry[];
  readonly logsTruncated: boolean;
  /** JSON text of the return value; undefined when nothing was returned. */
  readonly valueJson?: string | undefined;
}

export interface Surfaced {
  readonly text: string;
  readonly tokens: number;
  readonly cut: boolean;
  /** The return value was cut to a preview: the handle it names (if any) must now be stored. */
  readonly valueCut: boolean;
  /** The id of the result handle the answer names, once it is stored (surface-kept.ts). */
  readonly handle?: string;
}

/** What a cut value's preview names: the id its whole value will be stored under, or why it has none. */
export type HandleOffer = { readonly id: string } | { readonly missing: string };

/** The reason given when the caller offers no handle. */
export const NO_SESSION_HANDLE: HandleOffer = { missing: 'this run has no MCP session (a one-off run keeps nothing)' };

/** Tokens kept back for the cut markers and section labels. */
const MARKER_RESERVE = 80;

/** Tokenizes PII in the error, each log entry and the value (oversight.protect); identity when off. */
export type SurfaceProtector = (input: SurfaceInput) => SurfaceInput;

export function surface(raw: SurfaceInput, maxTokens: number, protect: SurfaceProtector = (x) => x, handle: HandleOffer = NO_SESSION_HANDLE): Surfaced {
  const input = protectFirst(raw, protect);
  const logText = input.logs.map((l) => (l.level === 'log' || l.level === 'info' ? l.text : `[${l.level}] ${l.text}`)).join('\n')
    + (input.logsTruncated ? `\n${logCutNotice()}` : '');
  const valueText = input.valueJson === undefined ? undefined : renderValue(input.valueJson);
  const errorText = input.error;

  const errorTokens = errorText ? countTokens(errorText) : 0;
  const logTokens = logText ? estimateTokens(logText) : 0;
  const valueTokens = valueText ? estimateTokens(valueText) : 0;
  let cut = false;
  let valueCut = false;
  let logs = logText;
  let value = valueText;
  if (errorTokens + logTokens + valueTokens > maxTokens - 20) {
    const room = Math.max(0, maxTokens - errorTokens - MARKER_RESERVE);
    // The value is what the program chose to return: it gets the larger share.
    const logBudget = valueText ? Math.min(logTokens, Math.floor(room / 4)) : room;
    const valueBudget = room - logBudget;
    if (logText && logTokens > logBudget) {
      logs = cutText(logText, logBudget, 'console output');
      cut = true;
    }
    if (valueText && valueTokens > valueBudget) {
      value = cutValue(input.valueJson ?? '', valueText, valueTokens, { valueBudget, maxTokens }, handle);
      cut = true;
      valueCut = true;
    }
  }
  const sections: string[] = [];
  if (errorText) sections.push(errorText);
  if (logs) sections.push(value !== undefined || errorText ? `console:\n${logs}` : logs);
  if (value !== undefined) sections.push(logs || errorText ? `result:\n${value}` : value);
  const text = sections.length ? sections.join('\n\n') : '(no return value and no console output)';
  return { text, tokens: countTokens(text), cut, valueCut };
}

/** Runs `protect` on the whole texts; the last log entry, when the log limit cut it, carries the cut mark through it. */
function protectFirst(raw: SurfaceInput, protect: SurfaceProtector): SurfaceInput {
  const last = raw.logs.length - 1;
  const marked = raw.logsTruncated && last >= 0
    ? { ...raw, logs: raw.logs.map((entry, i) => (i === last ? { ...entry, text: `${entry.text}${CUT_MARK}` } : entry)) }
    : raw;
  const out = protect(marked);
  if (!(raw.logsTruncated && last >= 0)) return out;
  // The surface says the log was cut in its own words.
  return { ...out, logs: out.logs.map((entry, i) => (i === out.logs.length - 1 && entry.text.endsWith(CUT_MARK) ? { ...entry, text: entry.text.slice(0, -CUT_MARK.length) } : entry)) };
}

function renderValue(json: string): string {
  // A returned string reads better raw than JSON-quoted.
  if (json.startsWith('"')) {
    try {
      return JSON.parse(json) as string;
    } catch {
      return json;
    }
  }
  return json;
}

/** The value's preview within its share, then the notice naming the handle (or why there is none). */
function cutValue(json: string, text: string, totalTokens: number, budgets: { valueBudget: number; maxTokens: number }, handle: HandleOffer): string {
  // Parsed once: a 5 MB value fitted twice is not parsed twice.
  const parsed = parseValue(json);
  const render = (room: number): { out: string; tokens: number } => {
    const preview = parsed && previewOf(parsed.value, room);
    const body = preview?.text ?? truncateToTokens(text, room).text;
    const keep = 'id' in handle ? { handle: handle.id, paging: pagingCode(handle.id, preview) } : handle;
    const out = `${body}\n${resultCutNotice(totalTokens, budgets.maxTokens, keep)}`;
    return { out, tokens: countTokens(out) };
  };
  // The notice's paging code depends on the preview: measure once, then give back what it overran.
  const first = render(Math.max(0, budgets.valueBudget - 100));
  if (first.tokens <= budgets.valueBudget) return first.out;
  return render(Math.max(0, budgets.valueBudget - 100 - (first.tokens - budgets.valueBudget) - 4)).out;
}

function cutText(text: string, budget: number, what: string): string {
  const { text: head, totalTokens } = truncateToTokens(text, budget);
  return `${head}\n${surfaceCutNotice(what, totalTokens, budget)}`;
}
