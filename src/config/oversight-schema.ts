// The `cemcp.privacy`, `cemcp.audit` and `cemcp.policy` sections: PII tokenization, the audit log
// with its flags, and the tool policy. Defaults live here. Imported by schema.ts only.
import { z } from 'zod';
import { PrincipalPolicySchema } from './principal-schema.js';
import { strictObject } from './suggest.js';

const DETECTORS = ['email', 'phone', 'card', 'iban', 'ssn', 'ip'] as const;

const CustomPatternSchema = strictObject({
  /** Token label: EMPLOYEE_ID gives [EMPLOYEE_ID_1]. */
  name: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'expected an upper-case label like EMPLOYEE_ID'),
  pattern: z.string().min(1).refine((source) => {
    try {
      return new RegExp(source, 'g').test('') === false;
    } catch {
      return false;
    }
  }, 'expected a JavaScript regular expression that does not match the empty string'),
});

export const PrivacySchema = strictObject({
  /** Tokenize PII in what execute returns; restore tokens in later tool arguments. */
  enabled: z.boolean().default(true),
  detectors: z.array(z.enum(DETECTORS)).default([...DETECTORS]),
  custom: z.array(CustomPatternSchema).default([]),
  /** Per upstream: `tokenize: false` when its data is not personal; `restore: false` never hands it real values. */
  servers: z.record(z.string(), strictObject({ tokenize: z.boolean().default(true), restore: z.boolean().default(true) })).default({}),
  /** Distinct values remembered per session; the least recently used are forgotten beyond it. */
  maxEntries: z.number().int().min(100).default(10_000),
});

export const AuditFlagsSchema = strictObject({
  /** Tool calls in one run above which it is flagged. */
  maxCalls: z.number().int().positive().default(50),
  /** Argument plus result bytes in one run above which it is flagged. */
  maxDataBytes: z.number().int().positive().default(5 << 20),
});

export const AuditSchema = strictObject({
  /** Keep one JSONL record per execute. */
  enabled: z.boolean().default(true),
  /** Folder of the audit files, relative to the config file. */
  dir: z.string().min(1).default('.cemcp/audit'),
  /** Replace secrets and PII in the stored code and error text. */
  redact: z.boolean().default(true),
  maxFileBytes: z.number().int().min(4096).default(10 << 20),
  /** Volume budget: past it cemcp warns and flags records; it never deletes a file younger than retentionDays. */
  maxFiles: z.number().int().min(1).default(50),
  retentionDays: z.number().positive().default(30),
  /** Calls listed per record: the first and the last ones (the rest are counted). */
  sample: z.object({ first: z.number().int().min(0).max(1_000).default(20), last: z.number().int().min(0).max(1_000).default(20) }).prefault({}),
  /** Characters of the program kept per record (codeSha256 covers all of it). */
  maxCodeChars: z.number().int().min(1_000).default(65_536),
  flags: AuditFlagsSchema.prefault({}),
});

const Patterns = z.array(z.string().min(1)).default([]);

export const PolicySchema = strictObject({
  /** When non-empty, only calls matching one of these `server.tool` globs are allowed. */
  allow: Patterns,
  /** Calls matching these are refused with a ToolError naming the rule. */
  deny: Patterns,
  /** Calls matching these need the user's confirmation (MCP elicitation); refused when the client cannot ask. */
  confirm: Patterns,
  /** Tools annotated destructiveHint that no list names. */
  destructive: z.enum(['allow', 'confirm', 'deny']).default('allow'),
  /** Layers over these lists for the principals each `match` names: `[{ match: { scope: "team-a" }, deny: [...] }]`; they only tighten. */
  principals: z.array(PrincipalPolicySchema).optional(),
});

export type PrivacyConfig = z.infer<typeof PrivacySchema>;
export type AuditConfig = z.infer<typeof AuditSchema>;
export type PolicyConfig = z.infer<typeof PolicySchema>;
