export { fetchNamespace, FETCH_NAMESPACE } from './fetch-namespace.js';
export type { HostCall, HostNamespace } from './host-namespace.js';
