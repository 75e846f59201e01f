import { describe, expect, it } from 'vitest';
import { createGuestInstance, GuestMemory, type GuestInstance } from './guest-instance.js';
import { planMemory } from './guest-sizing.js';
import { newGuestString } from './guest-strings.js';
import { compileQuickJsWasm } from './quickjs-engine.js';

async function instance(memoryBytes: number): Promise<GuestInstance> {
  return createGuestInstance(await compileQuickJsWasm(), new GuestMemory(planMemory(memoryBytes)));
}

/** What the guest sees: its length and its JSON, read back through the library's own getString. */
function roundTrip(guest: GuestInstance, text: string): { length: number; json: string } {
  const ctx = guest.context;
  const handle = newGuestString(ctx, text);
  if (!handle) throw new Error('no room');
  const probe = ctx.unwrapResult(ctx.evalCode('(s) => ({ length: s.length, json: JSON.stringify(s) })'));
  const out = ctx.unwrapResult(ctx.callFunction(probe, ctx.undefined, handle));
  const seen = ctx.dump(out) as { length: number; json: string };
  for (const h of [handle, probe, out]) h.dispose();
  return seen;
}

describe('newGuestString', () => {
  it('gives the guest exactly the host string, short or long, ASCII or not', async () => {
    const guest = await instance(64 * 2 ** 20);
    const texts = [
      '', 'plain', 'ü€😀 mixed',
      JSON.stringify({ rows: Array.from({ length: 2_000 }, (_, i) => ({ id: i, name: `Zoë ${i} — 東京 😀` })) }),
      'x'.repeat(3 * 2 ** 20),
    ];
    for (const text of texts) {
      const seen = roundTrip(guest, text);
      expect(seen.length).toBe(text.length);
      expect(seen.json === JSON.stringify(text)).toBe(true);
    }
  });

  it('answers undefined, and the memory says exhausted, when the bytes do not fit', async () => {
    const guest = await instance(16 * 2 ** 20);
    expect(newGuestString(guest.context, 'x'.repeat(40 * 2 ** 20))).toBeUndefined();
    expect(guest.memory.exhausted).toBe(true);
  });
});
