export { fetchNamespace, FETCH_NAMESPACE } from './fetch-namespace.js';
export { handlesNamespace, HANDLES_NAMESPACE, HANDLES_DECLARATION } from './handles-namespace.js';
export { stateNamespace, STATE_NAMESPACE, STATE_DECLARATION } from './state-namespace.js';
export type { HostCall, HostNamespace, RunLibrary } from './host-namespace.js';
