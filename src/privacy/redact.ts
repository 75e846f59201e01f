// Redaction for the audit log: PII becomes its bare label ([EMAIL]), secrets become [SECRET] —
// the configured secrets in every encoding (the one SecretRedactor) and common token shapes
// (bearer tokens, API keys, JWTs, key=value assignments). Pure; used by runtime/ and cli/.
import { replacePii, type Detector } from './detectors.js';
import { SECRET_MARK, type SecretRedactor } from './secret-redactor.js';

export type Redactor = (text: string) => string;

const SECRET_SHAPES: readonly RegExp[] = [
  /\b(?:sk|pk|rk)[-_](?:live|test|proj|ant)?[-_]?[A-Za-z0-9_-]{16,}/g, // OpenAI/Stripe/Anthropic style
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API keys
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWTs
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];
// `Bearer abc…`, `password: "…"`, `api_key='…'`, `"token": "…"`: keep the name, drop the value.
const BEARER = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
const ASSIGNMENT = /((?:["']?)[\w-]*(?:pass(?:word|wd)?|secret|token|api[_-]?key|apikey|auth(?:orization)?|credential|private[_-]?key)[\w-]*["']?\s*[:=]\s*)(["'`])([^"'`\n]{4,})\2/gi;

export interface RedactorOptions {
  readonly detectors: readonly Detector[];
  /** The configured secrets (createSecretRedactor); absent: only token shapes are recognized. */
  readonly secrets?: SecretRedactor;
}

export function createRedactor(options: RedactorOptions): Redactor {
  return (text) => {
    let out = options.secrets ? options.secrets.redactText(text) : text;
    for (const shape of SECRET_SHAPES) out = out.replace(shape, SECRET_MARK);
    out = out.replace(BEARER, '$1 [SECRET]');
    out = out.replace(ASSIGNMENT, (_all, head: string, quote: string) => `${head}${quote}[SECRET]${quote}`);
    return replacePii(out, options.detectors, ({ label }) => `[${label}]`);
  };
}
