// The little of oidc-provider's API the tests use (the package ships no types; @types/oidc-provider
// would be one more dependency for four names).
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
  export const errors: { InvalidTarget: new () => Error };
  export default Provider;
}
