// The sandbox stage's public surface: the Engine contract and the QuickJS engine factory.
// Other stages import only this file; nothing here knows about MCP.
export { createQuickJsEngine } from './quickjs-engine.js';
export type { QuickJsEngineOptions } from './quickjs-engine.js';
export { createInlineQuickJsEngine } from './inline-engine.js';
export { createPythonEngine } from './python-engine.js';
export type { PythonEngineOptions } from './python-engine.js';
export { PYTHON_PROGRAM_FILE } from './python-prelude.js';
export type {
  BridgeReply,
  CodePosition,
  Engine,
  GuestForm,
  GuestLibrary,
  GuestVisibleError,
  HostBridge,
  Limits,
  LogEntry,
  LogLevel,
  RunFailure,
  RunOutcome,
  RunRequest,
  RunStats,
} from './engine.js';
