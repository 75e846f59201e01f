// Puts the gateway's secret redactor between every upstream and the sandbox: tool results (values,
// text, base64 resource and media data) and the messages of failed calls have every configured
// secret, in any encoding, replaced before a program can read them (and before the bridge cuts an
// error message). Wired by cli/start-gateway.ts around the gateway's invoker.
import { CemcpError, describeError, isCemcpError, UpstreamError } from '../common/index.js';
import type { SecretRedactor } from '../privacy/index.js';
import type { ToolInvoker } from './bridge.js';
import type { ContentItem, ToolCallResult } from './tool-result.js';

/** `invoker` with every result and error message redacted; `invoker` itself when there are no secrets. */
export function guardInvoker(invoker: ToolInvoker, secrets: SecretRedactor): ToolInvoker {
  if (secrets.size === 0) return invoker;
  return {
    async callTool(server, toolName, args, options) {
      try {
        return redactToolResult(await invoker.callTool(server, toolName, args, options), secrets);
      } catch (error) {
        throw redactError(error, secrets);
      }
    },
  };
}

/** A tool result with secrets redacted everywhere a program could read them. */
export function redactToolResult(result: ToolCallResult, secrets: SecretRedactor): ToolCallResult {
  // Fast path: one search of the whole result in every encoding; nearly every result holds none.
  if (!secrets.finds(JSON.stringify(result) ?? '')) return result;
  return {
    ...secrets.redactValue(result),
    ...(result.content ? { content: result.content.map((item) => redactItem(item, secrets)) } : {}),
    ...(result.structuredContent !== undefined ? { structuredContent: secrets.redactValue(result.structuredContent) } : {}),
  };
}

function redactItem(item: ContentItem, secrets: SecretRedactor): ContentItem {
  const out = secrets.redactValue(item) as ContentItem;
  // Base64 payloads are decoded, redacted and re-encoded (an echo inside a binary body).
  const data = typeof item.data === 'string' ? { data: secrets.redactBase64(item.data) } : {};
  const resource = item.resource && typeof item.resource.blob === 'string'
    ? { resource: { ...(out.resource ?? {}), blob: secrets.redactBase64(item.resource.blob) } }
    : {};
  return { ...out, ...data, ...resource };
}

/** The error itself when its message holds no secret; else the same code with the message redacted. */
function redactError(error: unknown, secrets: SecretRedactor): unknown {
  const text = isCemcpError(error) ? error.message : describeError(error);
  const message = secrets.redactText(text);
  if (message === text) return error;
  return isCemcpError(error)
    ? new CemcpError(error.code, message, {}, { cause: error })
    : new UpstreamError('UPSTREAM_UNAVAILABLE', message, {}, { cause: error });
}
