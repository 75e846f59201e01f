// A minimal logging interface. Library code logs only through one of these, never `console`:
// cli/ wires it to stderr, server/ also forwards warnings to the MCP client.

export type LogSeverity = 'debug' | 'info' | 'warning' | 'error';

export interface Logger {
  log(severity: LogSeverity, message: string): void;
}

export const silentLogger: Logger = { log() {} };

/** A logger that sends each message to every one of `loggers`. */
export function fanOutLogger(...loggers: Logger[]): Logger {
  return { log: (severity, message) => loggers.forEach((l) => l.log(severity, message)) };
}
