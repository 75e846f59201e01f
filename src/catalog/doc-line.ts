// Condenses a tool description (often paragraphs of markdown and agent instructions) into one short
// doc line: its first sentence, markdown and boilerplate lead-ins removed, within a token cap.
// Pure; imported by catalog/ (declarations; one-line search hits may reuse it). Never returns a newline.

import { countTokens } from '../common/index.js';

/** Tokens (o200k_base) a doc line may take by default: a short sentence. */
export const DEFAULT_DOC_LINE_TOKENS = 14;
/**
 * Characters of a description read at all: enough to pass a long warning preamble, and a bound on
 * the work any description can cause (an upstream's text is untrusted; no regex here sees more).
 */
const MAX_SCAN_CHARS = 4_000;
const MAX_CHARS_PER_TOKEN = 16;

/**
 * One line that says what a tool does: the first sentence of `text`'s first paragraph, without
 * markdown, a leading `Product | ` label, or "This tool is used to" style lead-ins, cut at a clause
 * or word boundary (`…` marks a cut inside a clause) to at most `maxTokens` tokens. `*\/` is escaped.
 */
export function condenseDoc(text: string, maxTokens: number = DEFAULT_DOC_LINE_TOKENS): string {
  // A heading is a title, not a description: used only when nothing else says anything.
  // A run of one punctuation mark says nothing and is the tokenizer's slow case: keep three.
  const head = text.slice(0, MAX_SCAN_CHARS).replace(/([^\w\s])\1{7,}/g, '$1$1$1');
  const paragraph = firstParagraph(stripMarkdown(head, true)) || firstParagraph(stripMarkdown(head, false));
  const sentence = firstSentenceOf(paragraph);
  const line = capitalize(stripLeadIn(sentence)).replace(/[.:;,]$/, '');
  return capTokens(line, Math.max(1, maxTokens)).replace(/\*\//g, '*\\/');
}

function stripMarkdown(text: string, dropHeadings: boolean): string {
  return (dropHeadings ? text.replace(/^[ \t]*#{1,6}[ \t]+.*$/gm, '') : text)
    .replace(/```[\s\S]*?(```|$)/g, '\n\n') // code blocks say how, not what
    .replace(/!\[[^\]\n]{0,200}\]\([^)\n]{0,500}\)/g, '') // images
    .replace(/\[([^\]\n]{1,200})\]\([^)\n]{0,500}\)/g, '$1') // links keep their text
    .replace(/`([^`\n]*)`/g, '$1')
    .replace(/(\*\*|__)(?=\S)([^\n]*?\S)\1/g, '$2')
    .replace(/(^|[\s(])[*_](?=\S)([^*_\n]*?\S)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
    .replace(/<\/?(b|i|em|strong|code|p|br|a|u|span|div|h[1-6])\b[^>]*>/gi, '')
    .replace(/^[ \t]*#{1,6}[ \t]+/gm, '');
}

const LIST_ITEM = /^([-*+•]|\d+[.)])\s+/;
/** A line that opens a warning or instructions to the agent rather than saying what the tool does. */
const WARNING = /^(\W{1,3}\s*)?(important|mandatory|warning|note|critical|caution|required|attention)\b/i;
/** A line like `Error Responses:` or `Parameters:` that starts a section after the summary. */
const SECTION = /^[A-Z][\w -]{0,30}:$/;

/**
 * The first paragraph that says what the tool does, on one line: paragraphs end at a blank line, a
 * rule, a section label or a list; warnings to the agent and list-led paragraphs are passed over
 * while a plain one remains.
 */
function firstParagraph(text: string): string {
  const paragraphs: { lines: string[]; item: boolean }[] = [];
  let current: { lines: string[]; item: boolean } | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || /^[-=*_]{3,}$/.test(line) || SECTION.test(line)) {
      current = undefined;
      continue;
    }
    const item = LIST_ITEM.test(line);
    if (!current || (item && !current.item)) {
      current = { lines: [], item };
      paragraphs.push(current);
    }
    current.lines.push(line.replace(LIST_ITEM, ''));
  }
  const texts = paragraphs.map((p) => ({ item: p.item, text: p.lines.join(' ').replace(/\s+/g, ' ').trim() }));
  const plain = texts.filter((p) => !WARNING.test(p.text));
  return (plain.find((p) => !p.item) ?? plain[0] ?? texts[0])?.text ?? '';
}

/** Up to the first `.`, `!` or `?` that a space and a capital, digit or quote follow (`e.g. x` is not an end). */
function firstSentenceOf(text: string): string {
  const match = /^(.+?[.!?])(?=\s+[A-Z0-9"'(\[]|$)/.exec(text);
  return (match?.[1] ?? text).trim();
}

const LABEL = /^[A-Za-z][\w .&-]{0,30}\s+\|\s+/; // "Notion | Retrieve a page"
const FIELD = /^(description|summary|purpose|tool)\s*:\s*/i;
const LEAD_IN = new RegExp(
  '^(?:(?:this|the|a) (?:tool|function|endpoint|operation|command)(?: that)?|tool(?: to| that)?|use this tool to|used to|allows? (?:you )?to|lets you)' +
  '\\s+(?:(?:is )?used to |(?:will |can |helps (?:you )?(?:to )?|allows (?:you )?to |lets you |is able to ))?',
  'i',
);

function stripLeadIn(sentence: string): string {
  let s = sentence.replace(LABEL, '').replace(FIELD, '');
  const stripped = s.replace(LEAD_IN, '');
  // Only when a verb phrase is left ("This tool retrieves x" -> "retrieves x"), not "This tool." alone.
  if (stripped !== s && /^[A-Za-z]/.test(stripped) && stripped.split(' ').length >= 2) s = stripped;
  return s;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Cuts `line` to `maxTokens`: at the last clause break that keeps half of it, else at a word, with `…`. */
function capTokens(full: string, maxTokens: number): string {
  // No token is longer than this many characters in practice: count only what could fit.
  const line = full.length > maxTokens * MAX_CHARS_PER_TOKEN ? full.slice(0, maxTokens * MAX_CHARS_PER_TOKEN) : full;
  if (line === full && countTokens(line) <= maxTokens) return line;
  // Largest word-boundary prefix within the budget (the `…` costs about one token).
  const words = line.split(' ');
  let lo = 1;
  let hi = words.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (countTokens(words.slice(0, mid).join(' ')) <= maxTokens - 1) lo = mid;
    else hi = mid - 1;
  }
  const prefix = words.slice(0, lo).join(' ');
  const cut = clauseCut(prefix);
  if (cut !== undefined && cut.length >= prefix.length * 0.5) return cut;
  if (countTokens(prefix) > maxTokens - 1) return `${[...prefix].slice(0, maxTokens * 3).join('')}…`; // one unbroken word
  return `${prefix.replace(/[,;:.]$/, '')}…`;
}

const CLAUSE_BREAK = /[,;]\s| [-—]\s| \(| (?:such as|which|that|including|so that|when|where|because|while|to help|for example)\s/g;

/** `text` up to its last clause break, skipping commas inside a list (`gathers, analyzes, and`). */
function clauseCut(text: string): string | undefined {
  const breaks = [...`${text} `.matchAll(CLAUSE_BREAK)].map((m) => m.index ?? 0).reverse();
  for (const at of breaks) {
    const head = text.slice(0, at).trimEnd();
    const lastSegment = head.slice(Math.max(head.lastIndexOf(','), head.lastIndexOf(';')) + 1);
    const nextSegment = text.slice(at + 1).split(/[,;]/)[0] ?? '';
    const short = (segment: string) => segment.trim().split(/\s+/).length <= 2;
    const inList = /[,;]/.test(text[at] ?? '') && ((head.includes(',') && short(lastSegment)) || short(nextSegment));
    if (!inList && head !== '') return head.replace(/[,;:]$/, '');
  }
  return undefined;
}
