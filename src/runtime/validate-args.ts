// Validates a program's tool arguments against the tool's own JSON Schema with ajv, compiled once
// per schema. Errors name the field as code writes it (`entities[0].name`), never the value.
// Schema `pattern`s come from untrusted upstreams and run on the host: see the ReDoS note below.
import { createRequire } from 'node:module';
import v8 from 'node:v8';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import type { JsonSchema } from '../catalog/index.js';

// ReDoS: an upstream pattern like `^(a+)+$` plus a program's argument could stall the gateway's
// event loop. V8 falls back to its linear-time engine after excessive backtracking, but only for
// regexes without the `u` flag, so patterns compile without it (one using \p{...} then fails to
// compile, and that schema is left to the upstream to judge).
v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv | Ajv2020) => void;
const options = { strict: false, allErrors: false, validateSchema: false, allowUnionTypes: true, unicodeRegExp: false } as const;
// Made on the first schema of each dialect: a new instance compiles its meta-schemas (~0.1 s of start-up otherwise).
let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;
function ajvFor(dialect2020: boolean): Ajv | Ajv2020 {
  if (dialect2020) return (draft2020 ??= withFormats(new (loadAjv2020())(options)));
  return (draft07 ??= withFormats(new Ajv(options)));
}
/** The 2020-12 dialect is loaded on its first schema (ajv is CommonJS: `require` shares the loaded core). */
function loadAjv2020(): typeof Ajv2020 {
  return (createRequire(import.meta.url)('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }).Ajv2020;
}
function withFormats<T extends Ajv | Ajv2020>(ajv: T): T {
  addFormats(ajv);
  return ajv;
}

const compiled = new WeakMap<JsonSchema, ValidateFunction | null>();

/** Returns a message naming the first bad field, or undefined when `args` is valid (or the schema cannot be compiled). */
export function checkArguments(schema: JsonSchema, args: unknown): string | undefined {
  const validate = validatorFor(schema);
  if (!validate || validate(args)) return undefined;
  const error = validate.errors?.[0];
  return error ? describeAjvError(error) : 'arguments do not match the input schema';
}

/**
 * Why `schema` is not a JSON Schema ajv can compile (checked against its dialect's meta-schema),
 * or undefined when it is one. For schemas the gateway is given to keep (a saved skill's).
 */
export function describeSchemaProblem(schema: JsonSchema): string | undefined {
  const { $schema, ...rest } = schema as { $schema?: unknown };
  const ajv = ajvFor(typeof $schema === 'string' && $schema.includes('2020-12'));
  try {
    if (!ajv.validateSchema(rest)) {
      const error = ajv.errors?.[0];
      return error ? `${pointerToPath(error.instancePath) || '(root)'} ${error.message ?? 'is invalid'}` : 'is not a valid JSON Schema';
    }
    ajv.compile(rest);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function validatorFor(schema: JsonSchema): ValidateFunction | null {
  let validate = compiled.get(schema);
  if (validate !== undefined) return validate;
  const { $schema, ...rest } = schema as { $schema?: unknown };
  const ajv = ajvFor(typeof $schema === 'string' && $schema.includes('2020-12'));
  try {
    validate = ajv.compile(rest);
  } catch {
    validate = null; // An upstream schema ajv cannot compile: let the upstream judge the arguments.
  }
  compiled.set(schema, validate);
  return validate;
}

function describeAjvError(error: ErrorObject): string {
  const base = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `missing required field "${joinPath(base, String(params.missingProperty))}"`;
    case 'additionalProperties':
      return `unknown field "${joinPath(base, String(params.additionalProperty))}"`;
    default:
      return base ? `field "${base}" ${error.message ?? 'is invalid'}` : `arguments ${error.message ?? 'are invalid'}`;
  }
}

/** `/entities/0/name` -> `entities[0].name` */
function pointerToPath(pointer: string): string {
  if (!pointer) return '';
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : joinPath(path, part)), '');
}

function joinPath(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}
