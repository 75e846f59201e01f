// Helpers for the privacy and audit e2e tests: a stdio gateway whose client records every message
// the gateway sends it (to prove PII never reaches the client), with optional elicitation, and the
// CRM fixture server's config entry. Shared by test/e2e/privacy*.test.ts and audit*.test.ts.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ElicitRequestSchema, LoggingMessageNotificationSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { CLI, ROOT } from './harness.js';

export const CRM_SERVER = path.join(ROOT, 'test/fixtures/crm-server.mjs');

export function crmEntry(outbox: string): Record<string, unknown> {
  return { crm: { command: process.execPath, args: [CRM_SERVER], env: { CRM_OUTBOX: outbox } } };
}

/** Forwards to a real transport and keeps the JSON of every message received from the gateway. */
class RecordingTransport implements Transport {
  readonly received: string[] = [];
  onmessage?: Transport['onmessage'];
  onclose?: Transport['onclose'];
  onerror?: Transport['onerror'];
  constructor(private readonly inner: Transport) {}
  start(): Promise<void> {
    this.inner.onmessage = (message: JSONRPCMessage, extra) => {
      this.received.push(JSON.stringify(message));
      this.onmessage?.(message, extra);
    };
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (error) => this.onerror?.(error);
    return this.inner.start();
  }
  send(message: JSONRPCMessage, options?: Parameters<Transport['send']>[1]): Promise<void> {
    return this.inner.send(message, options);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }
}

export interface RecordedGateway {
  readonly client: Client;
  /** Every message the gateway sent to the client, as JSON text. */
  readonly received: string[];
  /** Data of the MCP logging notifications the gateway sent. */
  readonly logs: unknown[];
  /** Messages of the elicitation requests the client answered. */
  readonly elicitations: string[];
  close(): Promise<void>;
}

export async function startRecordedGateway(configFile: string, options: { elicit?: (message: string) => boolean } = {}): Promise<RecordedGateway> {
  const inner = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'serve', '--config', configFile],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stderr: 'pipe',
  });
  const transport = new RecordingTransport(inner);
  const client = new Client({ name: 'privacy-e2e', version: '2.0.0' }, { capabilities: options.elicit ? { elicitation: { form: {} } } : {} });
  const logs: unknown[] = [];
  const elicitations: string[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(n.params.data));
  if (options.elicit) {
    const answer = options.elicit;
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      elicitations.push(request.params.message);
      return answer(request.params.message) ? { action: 'accept', content: { allow: true } } : { action: 'decline' };
    });
  }
  await client.connect(transport);
  return { client, received: transport.received, logs, elicitations, close: () => client.close() };
}

/** Runs `cemcp audit ...` and answers its stdout. */
export async function runAuditCli(args: readonly string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'audit', ...args], { env: { PATH: process.env.PATH ?? '' } });
  return stdout;
}
