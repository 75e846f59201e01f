export { fetchNamespace, FETCH_NAMESPACE } from './fetch-namespace.js';
export type { HostCall, HostNamespace, RunLibrary } from './host-namespace.js';
