// The token model of a conversation, the same for both ways of calling tools: each model turn is
// sent the system prompt, every tool definition and the whole conversation so far, and answers
// with one assistant message (text and/or tool calls). Pure; imported by the scripted agent and tests.
import { countTokens } from '../src/common/index.js';
import { renderDefinitions, type ModelToolDefinition } from '../src/server/index.js';

// One way of counting definitions, shared with `cemcp serve` (server/footprint.ts).
export { renderDefinitions, type ModelToolDefinition };

export interface ToolCall {
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
}


export interface TurnRecord {
  /** 1-based index of the model turn. */
  readonly turn: number;
  /** Tokens sent to the model for this turn: system + tool definitions + conversation so far. */
  readonly inputTokens: number;
  /** Tokens the model wrote in this turn: its text and tool calls. */
  readonly outputTokens: number;
  /** Tokens of the tool results this turn's calls produced (sent from the next turn on). */
  readonly resultTokens: number;
  readonly calls: readonly string[];
}

export interface ConversationTotals {
  readonly turns: number;
  readonly toolCalls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** inputTokens + outputTokens: what the whole task costs in tokens processed. */
  readonly totalTokens: number;
  /** The largest context of any turn (input + output): what must fit the model's window. */
  readonly peakContextTokens: number;
  readonly definitionTokens: number;
}


/** How one assistant tool call is counted: its name and arguments as JSON. */
export function renderToolCall(call: ToolCall): string {
  return JSON.stringify({ name: call.name, arguments: call.arguments });
}

export class Conversation {
  readonly definitionTokens: number;
  private readonly systemTokens: number;
  /** Tokens of every message so far: the task, then assistant messages and tool results in order. */
  private historyTokens: number;
  private readonly turnRecords: TurnRecord[] = [];
  private pendingResults = 0;
  private open = true;

  constructor(system: string, definitionsJson: string, task: string) {
    this.systemTokens = countTokens(system);
    this.definitionTokens = countTokens(definitionsJson);
    this.historyTokens = countTokens(task);
  }

  /** One model turn: counts what it is sent, then appends what it answers. */
  modelTurn(text: string, calls: readonly ToolCall[]): TurnRecord {
    if (!this.open) throw new Error('the conversation ended with a final answer');
    if (this.pendingResults > 0) throw new Error('every tool call needs its result before the next model turn');
    const inputTokens = this.systemTokens + this.definitionTokens + this.historyTokens;
    const outputTokens = (text ? countTokens(text) : 0) + calls.reduce((sum, call) => sum + countTokens(renderToolCall(call)), 0);
    this.historyTokens += outputTokens;
    this.pendingResults = calls.length;
    const record: TurnRecord = { turn: this.turnRecords.length + 1, inputTokens, outputTokens, resultTokens: 0, calls: calls.map((c) => c.name) };
    this.turnRecords.push(record);
    if (calls.length === 0) this.open = false;
    return record;
  }

  /** A tool result as the model will read it from the next turn on. */
  addToolResult(text: string): number {
    if (this.pendingResults === 0) throw new Error('no tool call is waiting for a result');
    this.pendingResults--;
    const tokens = countTokens(text);
    this.historyTokens += tokens;
    const last = this.turnRecords[this.turnRecords.length - 1]!;
    this.turnRecords[this.turnRecords.length - 1] = { ...last, resultTokens: last.resultTokens + tokens };
    return tokens;
  }

  get turns(): readonly TurnRecord[] {
    return this.turnRecords;
  }

  totals(): ConversationTotals {
    const inputTokens = this.turnRecords.reduce((s, t) => s + t.inputTokens, 0);
    const outputTokens = this.turnRecords.reduce((s, t) => s + t.outputTokens, 0);
    return {
      turns: this.turnRecords.length,
      toolCalls: this.turnRecords.reduce((s, t) => s + t.calls.length, 0),
      inputTokens,
      outputTokens,
      totalTokens: inputTokens + outputTokens,
      peakContextTokens: Math.max(0, ...this.turnRecords.map((t) => t.inputTokens + t.outputTokens)),
      definitionTokens: this.definitionTokens,
    };
  }
}
