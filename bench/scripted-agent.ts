// A scripted stand-in for the model: each workflow script decides its tool calls from the results it
// has been sent, and this class counts every turn with the Conversation model. It refuses a program
// that calls an operation the "model" was never shown. Imported by the workflows and the runner.
import { Conversation, renderDefinitions, type ConversationTotals, type ToolCall, type TurnRecord } from './conversation.js';
import type { ToolReply, ToolSession } from './sessions.js';

/** The same short system prompt both ways; the tool definitions are sent beside it. */
export const SYSTEM_PROMPT = 'You are an assistant for a B2B sales team. Use the tools to complete the task, then answer briefly.';

export class BenchScriptError extends Error {}

export interface AgentRun {
  readonly totals: ConversationTotals;
  readonly turns: readonly TurnRecord[];
  readonly answer: string;
}

export class ScriptedAgent {
  private readonly conversation: Conversation;
  private readonly session: ToolSession;
  /** Everything the model has been sent: definitions and results, to check programs against. */
  private shown: string;
  private finalAnswer = '';

  private readonly namespaces: ReadonlySet<string>;

  /** `namespaces`: the upstream namespaces a cemcp program may call (checked against what was shown). */
  constructor(session: ToolSession, task: string, namespaces: readonly string[] = []) {
    this.session = session;
    this.namespaces = new Set(namespaces);
    const definitions = renderDefinitions(session.definitions);
    this.conversation = new Conversation(SYSTEM_PROMPT, definitions, task);
    this.shown = definitions;
  }

  /** One model turn that makes `calls` (in parallel, as models may); resolves to their results. */
  async act(calls: readonly ToolCall[], text = ''): Promise<ToolReply[]> {
    if (calls.length === 0) throw new BenchScriptError('a tool turn needs at least one call; use answer() to finish');
    for (const call of calls) if (call.name === 'execute') this.checkProgram(String(call.arguments.code ?? ''));
    this.conversation.modelTurn(text, calls);
    const replies = await Promise.all(calls.map((call) => this.session.call(call.name, call.arguments)));
    replies.forEach((reply, i) => {
      if (reply.isError) throw new BenchScriptError(`${calls[i]!.name} failed: ${reply.text.slice(0, 500)}`);
      this.conversation.addToolResult(reply.text);
      this.shown += `\n${reply.text}`;
    });
    return replies;
  }

  /** The last model turn: the answer to the user, no tool calls. */
  answer(text: string): void {
    this.conversation.modelTurn(text, []);
    this.finalAnswer = text;
  }

  run(): AgentRun {
    return { totals: this.conversation.totals(), turns: this.conversation.turns, answer: this.finalAnswer };
  }

  /** As a search hit (`crm.get_deal(`) or inside an inlined `declare namespace crm { ... function get_deal(`. */
  private wasShown(namespace: string, fn: string): boolean {
    if (this.shown.includes(`${namespace}.${fn}(`)) return true;
    const start = this.shown.indexOf(`declare namespace ${namespace} {`);
    if (start < 0) return false;
    const end = this.shown.indexOf('\n}', start);
    return this.shown.slice(start, end < 0 ? undefined : end).includes(`function ${fn}(`);
  }

  /** A model can only call what it was shown: every `ns.fn(` in the program must appear in what it read. */
  private checkProgram(code: string): void {
    const unseen = [...code.matchAll(/\b([A-Za-z_]\w*)\.(\w+)\(\{?/g)]
      .filter((m) => this.namespaces.has(m[1]!) && !this.wasShown(m[1]!, m[2]!))
      .map((m) => `${m[1]}.${m[2]}`);
    if (unseen.length) throw new BenchScriptError(`the program calls ${[...new Set(unseen)].join(', ')}, which no search result or definition showed`);
  }
}

/** Parses a tool result the model received as JSON (how the scripted model "reads" it). */
export function readJson<T>(reply: ToolReply | undefined): T {
  if (!reply) throw new BenchScriptError('missing tool result');
  try {
    return JSON.parse(reply.text) as T;
  } catch {
    throw new BenchScriptError(`expected a JSON result, got: ${reply.text.slice(0, 200)}`);
  }
}
