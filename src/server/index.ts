export { GatewayService } from './gateway-service.js';
export type { GatewayServiceOptions, GatewaySession, SearchRequest, Footprint } from './gateway-service.js';
export { AUDIT_LOGGER } from './session-context.js';
export { createMcpServer, ClientLogBroadcaster, SERVER_INFO } from './mcp-server.js';
export { createToolDefinitions } from './tool-definitions.js';
export { serveHttp } from './http.js';
export type { HttpGateway, HttpServeOptions } from './http.js';
export { serveStdio } from './stdio.js';
