// The parts of an OpenAPI 3.0/3.1 document that cemcp reads, and the operation it extracts from
// one: its wire binding (method, path, where each argument goes) beside its catalog entry.
// Plain types; imported by upstream/openapi/* (the catalog sees the OpenApiTool shape).
export type JsonObject = Readonly<Record<string, unknown>>;
/** A JSON Schema, as the catalog's Operation carries it (upstream/ may not import catalog/). */
export type JsonSchema = Readonly<Record<string, unknown>>;

export interface OpenApiDocument extends JsonObject {
  readonly openapi: string;
  readonly servers?: readonly { readonly url?: string; readonly variables?: Readonly<Record<string, { readonly default?: string }>> }[];
  readonly paths?: Readonly<Record<string, unknown>>;
  readonly components?: JsonObject;
}

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

/** Where one field of the argument object goes on the wire. */
export interface ParameterBinding {
  /** The field of the argument object. */
  readonly arg: string;
  /** The parameter's name on the wire. */
  readonly name: string;
  readonly in: ParameterLocation;
  readonly style?: string;
  readonly explode?: boolean;
  /** `content` parameters are serialized as JSON. */
  readonly json?: boolean;
}

export interface BodyBinding {
  readonly mediaType: string;
  readonly required: boolean;
}

export interface OpenApiOperation {
  /** The name the catalog and the invoker use: the operationId, or `method_path` words. */
  readonly toolName: string;
  readonly method: string;
  /** The path template as the spec writes it (`/zones/{zone_id}`). */
  readonly path: string;
  readonly tags: readonly string[];
  readonly description: string;
  readonly inputSchema: JsonSchema;
  readonly outputSchema?: JsonSchema;
  readonly parameters: readonly ParameterBinding[];
  /** Present when the operation takes a request body (argument field `body`). */
  readonly body?: BodyBinding;
  /** The operation's own server URL, when it overrides the document's. */
  readonly serverUrl?: string;
}

/** One operation as the catalog reads it (structurally a catalog ToolLike). */
export interface OpenApiTool {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: JsonSchema;
  readonly outputSchema?: JsonSchema;
  readonly tags: readonly string[];
  readonly method: string;
  readonly path: string;
}
