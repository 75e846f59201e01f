// Lints one tool description against the six components of a good one (purpose, usage
// guidelines, limitations, parameter explanations, examples, return value) and the smells of
// arXiv 2602.14878 / 2602.18914. Heuristic and pure (no model); imported through catalog/index.ts.
import { countTokens } from '../common/index.js';

export type DescriptionComponent = 'purpose' | 'usage' | 'limitations' | 'parameters' | 'examples' | 'returns';
export type DescriptionSmell = 'purpose-unclear' | 'usage-missing' | 'parameters-unexplained' | 'name-repeated' | 'over-long';

export const DESCRIPTION_COMPONENTS: readonly DescriptionComponent[] = ['purpose', 'usage', 'limitations', 'parameters', 'examples', 'returns'];
export const DESCRIPTION_SMELLS: readonly DescriptionSmell[] = ['purpose-unclear', 'usage-missing', 'parameters-unexplained', 'name-repeated', 'over-long'];

/** Past these lengths a compact rewrite keeps the meaning in fewer tokens (estimate of savings). */
export const DESCRIPTION_TARGET_TOKENS = 120;
const PARAMETER_TARGET_TOKENS = 40;

export interface LintInput {
  readonly name: string;
  readonly description?: string | undefined;
  readonly inputSchema?: object | undefined;
  readonly outputSchema?: object | undefined;
}

export interface DescriptionLint {
  readonly tool: string;
  /** Tokens of the description text (o200k_base). */
  readonly tokens: number;
  readonly components: Readonly<Record<DescriptionComponent, boolean>>;
  readonly smells: readonly DescriptionSmell[];
  /** Parameters with neither a schema description nor a mention in the text. */
  readonly unexplainedParameters: readonly string[];
  /** Tokens above the target lengths (description and each parameter description). */
  readonly excessTokens: number;
}

const STOP_WORDS = new Set(('a an the this that these those of to for in on at by with from and or is are be it its as '
  + 'tool function method api call calls endpoint given specified provided').split(' '));

const USAGE = [
  /\buse (this|it|when|for|to|only|before|after|instead|with)\b/i,
  /\bwhen (you|the user|to|a|an|the|it|there)\b/i,
  /\b(call|invoke|run) (this|it) (when|to|before|after|first|only)\b/i,
  /\b(prefer|instead of|rather than|useful (for|when)|ideal for|best for|should be used|intended for|in combination with)\b/i,
  /\b(before|after) (calling|using|running)\b/i,
];
const LIMITATIONS = /\b(only|cannot|can't|can not|does not|doesn't|do not|won't|not (supported|available|allowed|included)|limit(s|ed)?|maximum|max|at most|up to|must|requires?|fails?|unless|deprecated|read-only|rate.limit\w*|paginat\w*|truncat\w*)\b/i;
const EXAMPLES = /(\be\.g\.|\bi\.e\.|\bfor (example|instance)\b|\bexamples?\b|\bsuch as\b|`[^`]+`)/i;
const RETURNS = /\b(returns?|returning|responds? with|outputs?|yields?|gives back|the result|results? (is|are|in)|response)\b/i;

export function lintDescription(tool: LintInput): DescriptionLint {
  const text = (tool.description ?? '').trim();
  const tokens = text ? countTokens(text) : 0;
  const nameWords = new Set(wordsOf(tool.name).map(stem));
  const contentWords = wordsOf(text).filter((w) => !STOP_WORDS.has(w));
  const nameRepeated = text !== '' && contentWords.every((w) => nameWords.has(stem(w)));
  const firstSentence = text.split(/(?<=[.!?])\s|\n/)[0] ?? '';
  const purpose = text !== '' && !nameRepeated && wordsOf(firstSentence).length >= 4;

  const params = parametersOf(tool.inputSchema);
  const lowered = text.toLowerCase();
  const unexplained = params.filter((p) => !p.description && !mentions(lowered, p.name)).map((p) => p.name);
  const paramExcess = params.reduce((sum, p) => sum + Math.max(0, (p.description ? countTokens(p.description) : 0) - PARAMETER_TARGET_TOKENS), 0);

  const components: Record<DescriptionComponent, boolean> = {
    purpose,
    usage: USAGE.some((re) => re.test(text)),
    limitations: LIMITATIONS.test(text),
    parameters: unexplained.length === 0,
    examples: EXAMPLES.test(text) || params.some((p) => p.hasExample),
    returns: RETURNS.test(text) || tool.outputSchema !== undefined,
  };
  const smells: DescriptionSmell[] = [];
  if (!purpose) smells.push('purpose-unclear');
  if (!components.usage) smells.push('usage-missing');
  if (unexplained.length) smells.push('parameters-unexplained');
  if (nameRepeated) smells.push('name-repeated');
  if (tokens > DESCRIPTION_TARGET_TOKENS) smells.push('over-long');
  return {
    tool: tool.name,
    tokens,
    components,
    smells,
    unexplainedParameters: unexplained,
    excessTokens: Math.max(0, tokens - DESCRIPTION_TARGET_TOKENS) + paramExcess,
  };
}

interface ParameterInfo {
  readonly name: string;
  readonly description: string | undefined;
  readonly hasExample: boolean;
}

function parametersOf(schema: object | undefined): ParameterInfo[] {
  const properties = (schema as { properties?: unknown } | undefined)?.properties;
  if (!properties || typeof properties !== 'object') return [];
  return Object.entries(properties as Record<string, unknown>).map(([name, raw]) => {
    const p = (raw && typeof raw === 'object' ? raw : {}) as { description?: unknown; examples?: unknown; example?: unknown };
    const description = typeof p.description === 'string' && p.description.trim() ? p.description.trim() : undefined;
    return { name, description, hasExample: p.examples !== undefined || p.example !== undefined };
  });
}

/** Lowercase words; `listIssues`, `list_issues` and `list-issues` all give list, issues. */
function wordsOf(text: string): string[] {
  return text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

function stem(word: string): string {
  return word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word;
}

/** The parameter's name, or its words as a phrase (`max_results` as "max results"), as whole words. */
function mentions(lowered: string, parameter: string): boolean {
  const asWord = (needle: string, hay: string) => new RegExp(`(^|[^a-z0-9_])${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![a-z0-9_])`).test(hay);
  const phrase = wordsOf(parameter).join(' ');
  return asWord(parameter.toLowerCase(), lowered) || (phrase !== '' && asWord(phrase, lowered.replace(/[_-]/g, ' ')));
}
