// The digest of a tool's definition (name, description, input schema) that a learned shape is kept
// under: when the tool changes, its old shape no longer applies and learning starts again.
// Pure; imported by catalog/shapes/ only.
import { createHash } from 'node:crypto';
import type { Operation } from '../operation.js';

const digests = new WeakMap<Operation, string>();

export function definitionHash(op: Operation): string {
  let digest = digests.get(op);
  if (digest === undefined) {
    const definition = JSON.stringify([op.toolName, op.description, op.inputSchema]);
    digest = createHash('sha256').update(definition).digest('base64url').slice(0, 22);
    digests.set(op, digest);
  }
  return digest;
}
