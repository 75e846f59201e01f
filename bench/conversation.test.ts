import { describe, expect, it } from 'vitest';
import { countTokens } from '../src/common/index.js';
import { Conversation, renderDefinitions, renderToolCall } from './conversation.js';

const SYSTEM = 'You are a helpful assistant.';
const DEFS = renderDefinitions([{ name: 'crm__get_contact', description: 'Get one contact by id.', input_schema: { type: 'object', properties: { contactId: { type: 'string' } } } }]);
const TASK = 'What is the title of contact ct-003?';
const CALL = { name: 'crm__get_contact', arguments: { contactId: 'ct-003' } };
const RESULT = JSON.stringify({ id: 'ct-003', title: 'Head of Procurement' });

describe('Conversation', () => {
  it('sends every turn the system prompt, all definitions and the whole conversation so far', () => {
    const c = new Conversation(SYSTEM, DEFS, TASK);
    const base = countTokens(SYSTEM) + countTokens(DEFS) + countTokens(TASK);
    const first = c.modelTurn('', [CALL]);
    expect(first.inputTokens).toBe(base);
    expect(first.outputTokens).toBe(countTokens(renderToolCall(CALL)));
    c.addToolResult(RESULT);
    const second = c.modelTurn('Head of Procurement.', []);
    expect(second.inputTokens).toBe(base + first.outputTokens + countTokens(RESULT));
    expect(c.turns[0]!.resultTokens).toBe(countTokens(RESULT));
  });

  it('totals input and output over turns, with the peak context and definitions', () => {
    const c = new Conversation(SYSTEM, DEFS, TASK);
    c.modelTurn('', [CALL, CALL]);
    c.addToolResult(RESULT);
    c.addToolResult(RESULT);
    c.modelTurn('done', []);
    const t = c.totals();
    expect(t).toMatchObject({ turns: 2, toolCalls: 2, definitionTokens: countTokens(DEFS) });
    expect(t.totalTokens).toBe(t.inputTokens + t.outputTokens);
    expect(t.inputTokens).toBe(c.turns[0]!.inputTokens + c.turns[1]!.inputTokens);
    expect(t.peakContextTokens).toBe(c.turns[1]!.inputTokens + c.turns[1]!.outputTokens);
  });

  it('counts definitions once per turn, so a longer conversation pays for them again each turn', () => {
    const big = renderDefinitions(Array.from({ length: 20 }, (_, i) => ({ name: `t${i}`, description: 'A tool with a long enough description to count.', input_schema: {} })));
    const run = (defs: string) => {
      const c = new Conversation(SYSTEM, defs, TASK);
      for (let i = 0; i < 3; i++) {
        c.modelTurn('', [CALL]);
        c.addToolResult(RESULT);
      }
      c.modelTurn('done', []);
      return c.totals().inputTokens;
    };
    expect(run(big) - run(DEFS)).toBe(4 * (countTokens(big) - countTokens(DEFS)));
  });

  it('refuses a turn while tool results are missing, and turns after the final answer', () => {
    const c = new Conversation(SYSTEM, DEFS, TASK);
    c.modelTurn('', [CALL]);
    expect(() => c.modelTurn('', [CALL])).toThrow(/result/);
    c.addToolResult(RESULT);
    expect(() => c.addToolResult(RESULT)).toThrow(/waiting/);
    c.modelTurn('done', []);
    expect(() => c.modelTurn('again', [])).toThrow(/final answer/);
  });
});
