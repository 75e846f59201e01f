// The one way cemcp counts a tool surface's cost, used by `serve`'s start-up line and the bench:
// each definition as a model API receives it ({name, description, input_schema} as JSON; direct
// names are `server__tool`), in o200k_base tokens. Pure; imported by gateway-service and bench/.
import { countTokens } from '../common/index.js';

/** A tool definition as a model API receives it (Anthropic's shape; OpenAI's differs by key names only). */
export interface ModelToolDefinition {
  readonly name: string;
  readonly description: string;
  readonly input_schema: unknown;
}

interface ToolShape {
  readonly name: string;
  readonly description?: string | undefined;
  readonly inputSchema: object;
}

/** outputSchema and annotations are not sent to models, so they are not counted. */
export function toModelDefinition(tool: ToolShape, name = tool.name): ModelToolDefinition {
  return { name, description: tool.description ?? '', input_schema: tool.inputSchema };
}

/** The tool list serialized as clients send it each turn. */
export function renderDefinitions(tools: readonly ModelToolDefinition[]): string {
  return JSON.stringify(tools);
}

export function definitionTokens(tools: readonly ModelToolDefinition[]): number {
  return tools.length ? countTokens(renderDefinitions(tools)) : 0;
}

/** Every upstream tool as a client calling the servers directly would list it. */
export function directDefinitions(tools: readonly { readonly server: string; readonly toolName: string; readonly description: string; readonly inputSchema: object }[]): ModelToolDefinition[] {
  return tools.map((t) => toModelDefinition({ name: t.toolName, description: t.description, inputSchema: t.inputSchema }, `${t.server}__${t.toolName}`));
}

/** `50.2% less`, `23.8% more` or `the same`: never a negative "less". */
export function describeChange(from: number, to: number): string {
  if (from === 0) return to === 0 ? 'the same' : 'more (nothing to compare with)';
  const change = 100 * (to - from) / from;
  if (Math.abs(change) < 0.05) return 'the same';
  return `${Math.abs(change).toFixed(1)}% ${change < 0 ? 'less' : 'more'}`;
}
