// Builds the privacy, policy and audit parts of a gateway from config: the PII tokenizer, the
// audit redactor (over the gateway's one secret redactor), the JSONL audit store in its folder,
// the tool policy and the flag thresholds. Used by start-gateway.ts and the `audit` command.
import path from 'node:path';
import { createJsonlAuditStore, createPolicy } from '../audit/index.js';
import type { Logger } from '../common/index.js';
import type { LoadedConfig } from '../config/index.js';
import { createPrivacy, createRedactor, type PiiSession, type SecretRedactor } from '../privacy/index.js';
import type { OversightOptions } from '../runtime/index.js';

export interface Oversight {
  readonly runtime: OversightOptions;
  readonly openPiiSession: () => PiiSession | undefined;
}

export function auditDirOf(config: LoadedConfig): string {
  return path.resolve(config.baseDir, config.cemcp.audit.dir);
}

/** `secrets`: the gateway's secret redactor; configured secrets leave audit text even with `audit.redact: false`. */
export function createOversight(config: LoadedConfig, logger: Logger, secrets: SecretRedactor): Oversight {
  const { privacy: privacySettings, audit, policy } = config.cemcp;
  const privacy = createPrivacy(privacySettings);
  const redact = audit.redact ? createRedactor({ detectors: privacy.detectors, secrets }) : secrets.size ? secrets.redactText : undefined;
  const sink = audit.enabled
    ? createJsonlAuditStore({ dir: auditDirOf(config), maxFileBytes: audit.maxFileBytes, maxFiles: audit.maxFiles, retentionDays: audit.retentionDays, logger })
    : undefined;
  return {
    runtime: {
      policy: createPolicy(policy),
      flagThresholds: audit.flags,
      auditBounds: { sampleFirst: audit.sample.first, sampleLast: audit.sample.last, maxCodeChars: audit.maxCodeChars },
      ...(sink ? { audit: sink } : {}),
      ...(redact ? { redact } : {}),
    },
    openPiiSession: () => privacy.openSession(),
  };
}
