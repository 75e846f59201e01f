// The bench stage's public surface: run the benchmark, render its report and chart, and the
// fixture servers' factories (for tests). Imported by cli/ only; it may import any stage but cli/.
export { runBench, fixtureCommand, SCALES } from './run-bench.js';
export type { BenchOptions, BenchResult, WorkflowResult } from './run-bench.js';
export { renderReport, renderWorkflowTable } from './report.js';
export { renderChart } from './chart.js';
export { Conversation, renderDefinitions, renderToolCall } from './conversation.js';
export type { ConversationTotals, ModelToolDefinition, ToolCall, TurnRecord } from './conversation.js';
export { parseRunAccounting, summarizeRuns } from './run-accounting.js';
export type { RunAccounting, AccountingSummary } from './run-accounting.js';
export { createDocumentsServer } from './fixtures/documents-server.js';
export { createCrmServer } from './fixtures/crm-server.js';
export { generateTranscript, extractMeetingFacts } from './fixtures/transcript.js';
