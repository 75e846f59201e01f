// Validates a JWT access token with jose: the issuer is one of the configured authorization
// servers (exact match), the audience is this resource's canonical URL (RFC 8707), exp is
// required and exp/nbf hold within a small clock tolerance, the algorithm is on the allow-list
// (asymmetric only), and the signature verifies with a key from that issuer's JWKS.
import { decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import type { IssuerKeys } from './issuer-keys.js';
import type { VerifiedTokens } from './verified-tokens.js';
import { refuse, splitScopes, unavailable, type Verdict } from './verdict.js';

export interface JwtValidatorOptions {
  readonly resource: string;
  readonly issuers: readonly string[];
  readonly algorithms: readonly string[];
  readonly clockToleranceSeconds: number;
  readonly keys: IssuerKeys;
  /** Tokens validated a moment ago (their principal), so a session's requests verify one signature. */
  readonly verified?: VerifiedTokens;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function looksLikeJwt(token: string): boolean {
  return JWT_SHAPE.test(token);
}

export async function validateJwt(token: string, options: JwtValidatorOptions): Promise<Verdict> {
  const known = options.verified?.get(token);
  if (known) return { ok: true, principal: known };
  let claims: JWTPayload;
  try {
    claims = decodeJwt(token);
  } catch {
    return refuse('malformed token');
  }
  // Unverified until jwtVerify below: used only to pick which issuer's keys to verify with.
  const issuer = claims.iss;
  if (typeof issuer !== 'string' || !options.issuers.includes(issuer)) return refuse('token issuer not accepted');
  let keys;
  try {
    keys = await options.keys.forIssuer(issuer);
  } catch (error) {
    return unavailable(`authorization server keys unavailable: ${error instanceof Error ? error.message : String(error)}`);
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      issuer,
      audience: options.resource,
      algorithms: [...options.algorithms],
      clockTolerance: options.clockToleranceSeconds,
      requiredClaims: ['exp'],
    }));
  } catch (error) {
    return describeFailure(error);
  }
  const clientId = typeof payload.client_id === 'string' ? payload.client_id : typeof payload.azp === 'string' ? payload.azp : undefined;
  const subject = typeof payload.sub === 'string' && payload.sub ? payload.sub : clientId;
  if (!subject) return refuse('token names no subject (sub) or client (client_id)');
  const principal = Object.freeze({ subject, ...(clientId ? { clientId } : {}), scopes: Object.freeze(splitScopes(payload.scope)), source: 'oauth' as const, issuer });
  options.verified?.set(token, principal, ((payload.exp ?? 0) + options.clockToleranceSeconds) * 1000);
  return { ok: true, principal };
}

function describeFailure(error: unknown): Verdict {
  if (error instanceof errors.JWTExpired) return refuse('token expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return refuse('token audience is not this resource');
    if (error.claim === 'iss') return refuse('token issuer not accepted');
    if (error.claim === 'nbf') return refuse('token not yet valid');
    return refuse(`token claim ${error.claim} missing or invalid`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return refuse('token signing algorithm not accepted');
  if (error instanceof errors.JWSSignatureVerificationFailed) return refuse('token signature invalid');
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return refuse('no signing key of the issuer matches the token');
  if (error instanceof errors.JWKSTimeout) return unavailable('authorization server keys unavailable: timed out');
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return refuse('malformed token');
  // The key set could not be fetched or read (a non-200 answer, not a JWKS): the token is not the problem.
  return unavailable(`authorization server keys unavailable: ${error instanceof Error ? error.message : String(error)}`);
}
