// Live progress and console output while `execute` runs, over stdio and Streamable HTTP, seen by
// the official SDK client (`onprogress`, logging notifications). The upstream's `wait` answers
// only once this test opens its gate, and the test opens it only when the call's start
// notification arrived: the order is structural, not a stopwatch.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LoggingMessageNotificationSchema, type CallToolResult, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startHttpGateway, startStdioGateway, tempDir, textOf, type RunningGateway } from './harness.js';

const GATE_SERVER = path.join(ROOT, 'test/fixtures/gate-server.mjs');

const starters: Record<string, (config: string) => Promise<RunningGateway>> = {
  stdio: startStdioGateway,
  http: startHttpGateway,
};

describe.each(Object.keys(starters))('live progress and console over %s', (transport) => {
  let gateway: RunningGateway;
  let dir: string;
  const consoleLines: { level: string; data: unknown; at: number }[] = [];

  beforeAll(async () => {
    dir = tempDir('cemcp-progress-');
    const config = path.join(dir, 'mcp.json');
    writeFileSync(config, JSON.stringify({
      mcpServers: { gate: { command: process.execPath, args: [GATE_SERVER], env: { GATE_DIR: dir } } },
      cemcp: { limits: { wallMs: 60_000 }, progress: { heartbeatMs: 500 } },
    }));
    gateway = await starters[transport]!(config);
    gateway.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      if (n.params.logger === 'cemcp.console') consoleLines.push({ level: n.params.level, data: n.params.data, at: Date.now() });
    });
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
  });

  it('sends a progress notification as each call starts, before the call can answer, and one as it ends', async () => {
    const events: string[] = [];
    const notifiedAt: number[] = [];
    let opened = 0;
    const onprogress = (p: Progress) => {
      const message = p.message ?? '';
      if (message.startsWith('running for')) return; // a heartbeat, when the machine is slow
      events.push(message.replace(/\d+ ms$/, 'N ms'));
      if (message === 'gate.wait started') {
        notifiedAt.push(Date.now());
        opened += 1;
        writeFileSync(path.join(dir, `${transport}-${opened}`), ''); // opens the gate of this call
      }
    };
    const code = `
      const a = await gate.wait({ key: '${transport}-1' });
      const b = await gate.wait({ key: '${transport}-2' });
      return [a.opened, b.opened];
    `;
    const result = (await gateway.client.callTool({ name: 'execute', arguments: { code } }, undefined, { onprogress })) as CallToolResult;
    // Each gate opened only on its start notification: had one not come, that call would have given up.
    expect(textOf(result)).toBe('[true,true]');
    expect(events).toEqual(['gate.wait started', 'gate.wait done in N ms', 'gate.wait started', 'gate.wait done in N ms']);
    // The 1 s target, asserted loosely: the notification leaves before the upstream even gets the call.
    for (const [i, at] of notifiedAt.entries()) {
      const arrived = Number(readFileSync(path.join(dir, `${transport}-${i + 1}.arrived`), 'utf8'));
      expect(at - arrived).toBeLessThan(1_000);
    }
  });

  it('sends heartbeats while a call is outstanding, with a growing progress value', async () => {
    const beats: number[] = [];
    const key = `${transport}-beat`;
    const onprogress = (p: Progress) => {
      if (!p.message?.startsWith('running for')) return;
      beats.push(p.progress);
      if (beats.length === 2) writeFileSync(path.join(dir, key), ''); // the call answers only after two heartbeats
    };
    const result = (await gateway.client.callTool({ name: 'execute', arguments: { code: `return (await gate.wait({ key: '${key}' })).opened` } }, undefined, { onprogress })) as CallToolResult;
    expect(textOf(result)).toBe('true');
    expect(beats.length).toBeGreaterThanOrEqual(2);
    expect(beats[1]!).toBeGreaterThan(beats[0]!);
  });

  it('streams console lines, PII-tokenized, while the run waits, and still returns them at the end', async () => {
    consoleLines.length = 0;
    const key = `${transport}-log`;
    const code = `
      console.log('looking up ada.lovelace@analytical.example');
      console.warn('careful');
      const a = await gate.wait({ key: '${key}' });
      console.log('done');
      return a.opened;
    `;
    const opener = setInterval(() => {
      // The gate opens only once the lines logged before the call have arrived.
      if (consoleLines.some((l) => l.data === 'careful')) writeFileSync(path.join(dir, key), '');
    }, 10);
    const result = (await gateway.client.callTool({ name: 'execute', arguments: { code } })) as CallToolResult;
    clearInterval(opener);
    const text = textOf(result);
    expect(text).toMatch(/\n\nresult:\ntrue$/);
    const token = /looking up (\[EMAIL_\d+\])/.exec(text)?.[1];
    expect(token).toBeDefined();
    expect(text).toContain('careful');
    // Before the result: the line logged after the call arrives too (it precedes the answer on the same channel).
    expect(consoleLines.map((l) => [l.level, l.data])).toEqual([['info', `looking up ${token}`], ['warning', 'careful'], ['info', 'done']]);
    expect(JSON.stringify(consoleLines)).not.toContain('ada.lovelace');
  });

  it('still cancels: a client cancel made from onprogress reaches the upstream call, and the next run is served', async () => {
    const controller = new AbortController();
    const code = `return (await gate.wait({ key: '${transport}-never' })).opened`;
    const call = gateway.client.callTool({ name: 'execute', arguments: { code } }, undefined, {
      signal: controller.signal,
      onprogress: (p) => {
        if (p.message === 'gate.wait started') controller.abort();
      },
    });
    await expect(call).rejects.toThrow();
    // The run ended and its scope cancelled the upstream call (MCP notifications/cancelled).
    await expect.poll(() => existsSync(path.join(dir, `${transport}-never.cancelled`)), { timeout: 10_000 }).toBe(true);
    const next = (await gateway.client.callTool({ name: 'execute', arguments: { code: 'return 7' } })) as CallToolResult;
    expect(textOf(next)).toBe('7');
  });

  // Last in this session: the level stays set.
  it('honours the logging level the client chose', async () => {
    consoleLines.length = 0;
    await gateway.client.setLoggingLevel('warning');
    const result = (await gateway.client.callTool({ name: 'execute', arguments: { code: 'console.log("quiet"); console.error("loud"); return 1' } })) as CallToolResult;
    expect(textOf(result)).toContain('quiet');
    expect(consoleLines.map((l) => [l.level, l.data])).toEqual([['error', 'loud']]);
  });
});
