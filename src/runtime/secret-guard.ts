// Puts the gateway's secret redactor between every upstream and the sandbox: tool results (values,
// text, base64 resource and media data) and the messages of failed calls have every configured
// secret, in any encoding, replaced before a program can read them (and before the bridge cuts an
// error message). Wired by cli/start-gateway.ts into the upstream invoker (upstream/tool-outcome.ts).
import type { ContentItem, ToolCallResult } from '../common/index.js';
import type { SecretRedactor } from '../privacy/index.js';

/** The guard every upstream answer passes before a program sees it (upstream/tool-outcome.ts applies it); none without secrets. */
export function secretGuard(secrets: SecretRedactor): { result(result: ToolCallResult): ToolCallResult; message(text: string): string } | undefined {
  if (secrets.size === 0) return undefined;
  return { result: (result) => redactToolResult(result, secrets), message: (text) => secrets.redactText(text) };
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
