// Encryption at rest for a shared SessionStore: AES-256-GCM under a keyring (the first key seals,
// every key opens), each sealed value tagged with the id of its key so keys can rotate. The
// associated data binds a value to its session id and key: copied elsewhere, it fails to open.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { CemcpError } from '../common/index.js';

export interface StoreCipher {
  /** Id of the key that seals new values. */
  readonly currentKeyId: string;
  /** `plaintext` sealed for the place `aad` names (session id and key). */
  seal(plaintext: string, aad: string): string;
  /** The plaintext; throws SESSION_STORE naming why when the key is not in the ring or the value was altered or moved. */
  open(sealed: string, aad: string): string;
}

const FORMAT = 'c1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HOW_TO_MAKE = 'make one with: openssl rand -base64 32';

/** The id of a key: a short HMAC of the key itself, so the config lists keys only and ids never clash by mistake. */
export function storeKeyId(key: Buffer): string {
  return createHmac('sha256', key).update('cemcp store key id').digest('base64url').slice(0, 8);
}

/** A key given as base64 of 32 bytes, or an error message saying what is wrong (never the value). */
export function decodeStoreKey(text: string): Buffer | string {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return `not base64; ${HOW_TO_MAKE}`;
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== 32) return `decodes to ${key.length} bytes, AES-256 needs 32; ${HOW_TO_MAKE}`;
  return key;
}

/** A cipher over `keys` (base64, 32 bytes each); the first seals. */
export function createStoreCipher(keys: readonly string[]): StoreCipher {
  if (keys.length === 0) throw new CemcpError('CONFIG_INVALID', `session store: no encryption key; ${HOW_TO_MAKE}`);
  const ring = new Map<string, Buffer>();
  keys.forEach((text, i) => {
    const key = decodeStoreKey(text);
    if (typeof key === 'string') throw new CemcpError('CONFIG_INVALID', `session store: encryption key ${i + 1}: ${key}`);
    ring.set(storeKeyId(key), key);
  });
  const currentKeyId = [...ring.keys()][0]!;
  const currentKey = ring.get(currentKeyId)!;

  return {
    currentKeyId,
    seal(plaintext, aad) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
      cipher.setAAD(Buffer.from(aad));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${FORMAT}.${currentKeyId}.${iv.toString('base64')}.${body.toString('base64')}`;
    },
    open(sealed, aad) {
      const [format, keyId, iv, body] = sealed.split('.');
      if (format !== FORMAT || keyId === undefined || iv === undefined || body === undefined) {
        throw new CemcpError('SESSION_STORE', 'a stored value is not an encrypted value of this gateway (written without encryption, or by something else)');
      }
      const key = ring.get(keyId);
      if (!key) {
        throw new CemcpError('SESSION_STORE', `a stored value is encrypted under key id ${keyId}, which is not among cemcp.store.encryptionKeys (ids: ${[...ring.keys()].join(', ')}); add that key back as an older key`, { keyId });
      }
      const bytes = Buffer.from(body, 'base64');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
        decipher.setAAD(Buffer.from(aad));
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
        return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch (cause) {
        throw new CemcpError('SESSION_STORE', `a stored value under key id ${keyId} fails authentication: it was altered, or copied from another session or key`, { keyId }, { cause });
      }
    },
  };
}
