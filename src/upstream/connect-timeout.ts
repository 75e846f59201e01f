// The connect timeout of an upstream: a race against initialize, and how to tell a timeout (ours
// or the SDK's request timeout) from a crash. Imported by upstream/connection.ts only.
import { ErrorCode as McpErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';

export class ConnectTimeout extends Error {}

export function isTimeout(error: unknown): boolean {
  return error instanceof ConnectTimeout || (error instanceof McpError && error.code === McpErrorCode.RequestTimeout);
}

export function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConnectTimeout(`no answer to initialize within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
