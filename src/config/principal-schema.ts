// Rules by principal: which principals a rule names (`match`), the tool policy's principal layers
// (cemcp.policy.principals) and the per-principal caps (cemcp.principals). Defaults live here.
// Imported by schema.ts and oversight-schema.ts only.
import { z } from 'zod';
import { strictObject } from './suggest.js';

const Glob = z.string().min(1);

/** Every field given must match; globs (`*`, `?`), case-sensitive; `scope` matches when any granted scope does. */
export const PrincipalMatchSchema = strictObject({
  subject: Glob.optional(),
  clientId: Glob.optional(),
  scope: Glob.optional(),
  source: z.enum(['oauth', 'api-key', 'local']).optional(),
  issuer: Glob.optional(),
}).refine((m) => Object.values(m).some((v) => v !== undefined), 'expected at least one of subject, clientId, scope, source, issuer (a rule for everyone belongs in the global lists)');

const Patterns = z.array(z.string().min(1)).optional();

/** A policy layer for the principals it matches: it only tightens the global lists. */
export const PrincipalPolicySchema = strictObject({
  match: PrincipalMatchSchema,
  deny: Patterns,
  confirm: Patterns,
  /** When non-empty, these principals may call only what it matches (and the global allow list, if any, matches too). */
  allow: Patterns,
  /** For destructive tools no list names; used when stricter than the global `destructive`. */
  destructive: z.enum(['allow', 'confirm', 'deny']).optional(),
});

const CapKeys = {
  /** Live MCP sessions one principal holds at once (across every process sharing the store); a new one past it gets HTTP 429. */
  maxSessions: z.number().int().positive().optional(),
  /** Executes of one principal running at once; past it an execute answers LIMIT_PRINCIPAL. */
  maxConcurrentRuns: z.number().int().positive().optional(),
  /** Executes one principal may start per minute (a bucket of this many, refilled evenly); past it LIMIT_PRINCIPAL with the wait. */
  maxRunsPerMinute: z.number().int().positive().optional(),
};

/** Per-principal caps; absent keys: no cap. `overrides`: the first whose `match` names the principal sets its own values. */
export const PrincipalCapsSchema = strictObject({
  ...CapKeys,
  overrides: z.array(strictObject({ match: PrincipalMatchSchema, ...CapKeys })).default([]),
});

export type PrincipalPolicyConfig = z.infer<typeof PrincipalPolicySchema>;
export type PrincipalCapsConfig = z.infer<typeof PrincipalCapsSchema>;
