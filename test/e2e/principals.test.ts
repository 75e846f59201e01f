// Principals over Streamable HTTP with the official SDK client: an in-process gateway whose
// `authenticate` hook reads the principal from an `x-test-principal` header (this test's stand-in
// for the OAuth validator), a real memory upstream. A session answers only its principal; each
// principal's session cap leaves the others alone; policy rules deny for one scope and ask another
// to confirm; runs per minute and runs at once are capped per principal; audit records and
// `cemcp audit --principal` name who ran what.
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditRecords } from '../../src/audit/index.js';
import { startGateway, type Gateway } from '../../src/cli/start-gateway.js';
import { silentLogger, type Principal } from '../../src/common/index.js';
import { loadConfig } from '../../src/config/index.js';
import { createMcpServer, serveHttp, type AuthOutcome, type HttpGateway } from '../../src/server/index.js';
import { textOf, writeConfig, tempDir } from './harness.js';
import { runAuditCli } from './privacy-harness.js';

const HEADER = 'x-test-principal';

/** The test's authentication: the header names the principal; none is a 401 as the real validator answers. */
async function authenticate(req: IncomingMessage): Promise<AuthOutcome> {
  const value = req.headers[HEADER];
  if (typeof value !== 'string') return { ok: false, status: 401, headers: { 'www-authenticate': 'Bearer' }, message: 'unauthorized: no principal' };
  const { subject, scopes } = JSON.parse(value) as { subject: string; scopes: string[] };
  return { ok: true, principal: { subject, scopes, source: 'oauth', issuer: 'https://issuer.test', clientId: 'e2e-client' } };
}

const as = (subject: string, ...scopes: string[]) => ({ [HEADER]: JSON.stringify({ subject, scopes }) });

describe('principals over Streamable HTTP', () => {
  let dir: string;
  let gateway: Gateway;
  let http: HttpGateway;
  const clients: Client[] = [];

  beforeAll(async () => {
    dir = tempDir('cemcp-principals-');
    const file = writeConfig(dir, {}, {
      audit: { dir: 'audit' },
      typecheck: { mode: 'off' },
      policy: {
        principals: [
          { match: { scope: 'team-a' }, deny: ['memory.delete_*'] },
          { match: { scope: 'team-b' }, confirm: ['memory.create_*'] },
        ],
      },
      principals: {
        maxSessions: 2,
        overrides: [{ match: { subject: 'metered-*' }, maxRunsPerMinute: 2 }, { match: { subject: 'single-*' }, maxConcurrentRuns: 1 }],
      },
    });
    const config = await loadConfig(file, { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' });
    gateway = await startGateway(config, silentLogger, { only: ['memory'] });
    await gateway.ready;
    http = await serveHttp(({ sessionId, principal }) => createMcpServer(gateway.service, gateway.broadcaster, { transport: 'http', mcpSessionId: sessionId, principal }), {
      host: '127.0.0.1', port: 0, maxSessions: 20, authenticate, principalCaps: gateway.service.principalCaps,
    }, silentLogger);
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await http?.close();
    await gateway?.close();
  });

  const connect = async (headers: Record<string, string>, onElicit?: (message: string) => Promise<boolean>) => {
    const client = new Client({ name: 'principals-e2e', version: '1.0.0' }, { capabilities: onElicit ? { elicitation: { form: {} } } : {} });
    if (onElicit) {
      client.setRequestHandler(ElicitRequestSchema, async (request) => ((await onElicit(request.params.message)) ? { action: 'accept', content: { allow: true } } : { action: 'decline' }));
    }
    const transport = new StreamableHTTPClientTransport(new URL(http.url), { requestInit: { headers } });
    await client.connect(transport);
    clients.push(client);
    return { client, transport };
  };
  const run = async (client: Client, code: string) => {
    const result = (await client.callTool({ name: 'execute', arguments: { code } })) as CallToolResult;
    return { text: textOf(result), errorCode: (result.structuredContent as { errorCode?: string } | undefined)?.errorCode, isError: result.isError === true };
  };
  const post = (headers: Record<string, string>, body: unknown) => fetch(http.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18', ...headers },
    body: JSON.stringify(body),
  });

  it("binds a session to its principal: another principal presenting its id gets 404, its own is still served", async () => {
    const ann = await connect(as('ann', 'team-a'));
    const id = ann.transport.sessionId!;
    const stolen = await post({ ...as('mallory', 'team-a'), 'mcp-session-id': id }, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(stolen.status).toBe(404);
    expect(await stolen.text()).toContain('session not found');
    // The same through the SDK's transport: ann's session id, mallory's principal.
    const thief = new StreamableHTTPClientTransport(new URL(http.url), { sessionId: id, requestInit: { headers: as('mallory') } });
    await thief.start();
    await expect(thief.send({ jsonrpc: '2.0', id: 2, method: 'tools/list' })).rejects.toMatchObject({ code: 404 });
    await thief.close();
    // No principal at all: 401 before any session is looked at.
    expect((await post({ 'mcp-session-id': id }, { jsonrpc: '2.0', id: 3, method: 'tools/list' })).status).toBe(401);
    expect((await run(ann.client, 'return 6 * 7')).text).toBe('42');
    await ann.transport.terminateSession();
  });

  it("refuses a principal's session past its cap with 429 naming the key; another principal is unaffected", async () => {
    const first = await connect(as('cara', 'team-c'));
    const second = await connect(as('cara', 'team-c'));
    const refused = await connect(as('cara', 'team-c')).then(() => undefined, (error: unknown) => error as Error & { code?: number });
    expect(refused?.code).toBe(429);
    expect(refused?.message).toContain('it may hold at most 2 live sessions at once (cemcp.principals.maxSessions)');
    const raw = await post(as('cara'), { jsonrpc: '2.0', id: 9, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    expect(raw.status).toBe(429);
    expect(await raw.json()).toMatchObject({ jsonrpc: '2.0', id: 9, error: { code: -32000, message: expect.stringMatching(/^too many sessions for principal "cara": it may hold at most 2 live sessions at once \(cemcp\.principals\.maxSessions\)\. .*raise cemcp\.principals\.maxSessions\.$/) } });
    // Dave is served while Cara is at her cap, and Cara's sessions keep working.
    const dave = await connect(as('dave', 'team-c'));
    expect((await run(dave.client, 'return "dave"')).text).toBe('dave');
    expect((await run(second.client, 'return "cara"')).text).toBe('cara');
    // Ending a session gives Cara her place back.
    await first.transport.terminateSession();
    const again = await connect(as('cara', 'team-c'));
    expect((await run(again.client, 'return 1')).text).toBe('1');
    for (const s of [second, again, dave]) await s.transport.terminateSession();
  });

  it('denies a tool for one scope and asks another scope to confirm it, naming the principal rule', async () => {
    const seed = 'await memory.create_entities({ entities: [{ name: "Ada", entityType: "person", observations: ["x"] }] });';
    const ann = await connect(as('ann', 'team-a'));
    const denied = await run(ann.client, `try { await memory.delete_entities({ entityNames: ["Ada"] }); } catch (e) { return e.code + ": " + e.message; }`);
    expect(denied.text).toBe('POLICY_DENIED: memory.delete_entities: denied by policy rule deny "memory.delete_*" (cemcp.policy.principals[0]: scope "team-a")');
    // Team A is not asked before creating; team B is, with the rule named.
    expect((await run(ann.client, `${seed} return "created"`)).text).toBe('created');
    const asked: string[] = [];
    const bob = await connect(as('bob', 'team-b'), async (message) => (asked.push(message), true));
    expect((await run(bob.client, `${seed} return "created"`)).text).toBe('created');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('Policy rule confirm "memory.create_*" (cemcp.policy.principals[1]: scope "team-b") asks for your confirmation');
    // Team B may delete (no rule denies it there).
    expect((await run(bob.client, 'await memory.delete_entities({ entityNames: ["Ada"] }); return "deleted"')).text).toBe('deleted');
    await ann.transport.terminateSession();
    await bob.transport.terminateSession();
  });

  it('caps runs per minute for one principal with the wait before a retry, and no one else', async () => {
    const metered = await connect(as('metered-1', 'team-c'));
    expect((await run(metered.client, 'return 1')).text).toBe('1');
    expect((await run(metered.client, 'return 2')).text).toBe('2');
    const refused = await run(metered.client, 'return 3');
    expect(refused.isError).toBe(true);
    expect(refused.errorCode).toBe('LIMIT_PRINCIPAL');
    expect(refused.text).toMatch(/^execute refused: principal "metered-1" started 2 runs in the last minute, the most allowed \(cemcp\.principals\.overrides\[0\]\.maxRunsPerMinute: 2\)\. Retry in \d+ s, or raise cemcp\.principals\.overrides\[0\]\.maxRunsPerMinute\. The program did not run\.$/);
    // Two runs a minute: a place comes back within 30 s.
    expect(Number(/Retry in (\d+) s/.exec(refused.text)![1])).toBeLessThanOrEqual(30);
    // Another session of the same principal is refused too; another principal is not.
    const meteredToo = await connect(as('metered-1', 'team-c'));
    expect((await run(meteredToo.client, 'return 4')).errorCode).toBe('LIMIT_PRINCIPAL');
    const other = await connect(as('metered-2', 'team-c'));
    expect((await run(other.client, 'return 5')).text).toBe('5');
    for (const s of [metered, meteredToo, other]) await s.transport.terminateSession();
  });

  it('caps runs at once: a run waiting on its confirmation holds the place until it ends', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let askedNow!: () => void;
    const asked = new Promise<void>((resolve) => (askedNow = resolve));
    const one = await connect(as('single-1', 'team-b'), async () => {
      askedNow();
      await held;
      return true;
    });
    const two = await connect(as('single-1', 'team-b'));
    const first = run(one.client, 'await memory.create_entities({ entities: [{ name: "Bo", entityType: "person", observations: [] }] }); return "first"');
    await asked; // the first run is going on, waiting for its confirmation
    const second = await run(two.client, 'return "second"');
    expect(second.errorCode).toBe('LIMIT_PRINCIPAL');
    expect(second.text).toContain('principal "single-1" already has 1 runs going on, the most at once (cemcp.principals.overrides[1].maxConcurrentRuns: 1)');
    release();
    expect((await first).text).toBe('first');
    expect((await run(two.client, 'return "second again"')).text).toBe('second again');
    await one.transport.terminateSession();
    await two.transport.terminateSession();
  });

  it('names the principal on every audit record, and `cemcp audit --principal` finds them', async () => {
    const records = readAuditRecords(path.join(dir, 'audit'));
    expect(records.length).toBeGreaterThanOrEqual(10);
    const expected = (subject: string, scopes: string[]): Principal => ({ subject, scopes, source: 'oauth', issuer: 'https://issuer.test', clientId: 'e2e-client' });
    for (const record of records) {
      expect(record.session.transport).toBe('http');
      expect(record.session.principal).toBeDefined();
    }
    expect(records.filter((r) => r.session.principal?.subject === 'ann').map((r) => r.session.principal)).toContainEqual(expected('ann', ['team-a']));
    const listed = (await runAuditCli(['--dir', path.join(dir, 'audit'), '--principal', 'bob', '--json'])).trim().split('\n').map((line) => JSON.parse(line) as { session: { principal: Principal } });
    expect(listed).toHaveLength(2);
    expect(listed.every((r) => r.session.principal.subject === 'bob')).toBe(true);
    expect(await runAuditCli(['--dir', path.join(dir, 'audit'), '--principal', 'ann'])).toMatch(/principal=ann/);
  });
});
