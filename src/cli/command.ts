// What a CLI command is: a name, a one-line summary, its full `--help` text and a `run` that
// checks its arguments (UsageError, exit 2) before it loads a config or starts anything.
// Commands live in commands.ts; main.ts dispatches. Only cli/ writes to stdout and stderr.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError, type Logger } from '../common/index.js';

export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  /** Logs to stderr as `cemcp ...`; debug lines only with --verbose. */
  logger(verbose: boolean): Logger;
  readonly stdinIsTTY: boolean;
  readStdin(): Promise<string>;
}

export interface Command {
  readonly name: string;
  /** What it does, in one line for `cemcp --help`. */
  readonly summary: string;
  /** The whole `cemcp <name> --help` text. */
  readonly usage: string;
  run(argv: readonly string[], io: CliIo): Promise<void>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Options every gateway command takes. */
export const CONFIG_OPTIONS = {
  config: { type: 'string', short: 'c' },
  verbose: { type: 'boolean' },
} as const satisfies Options;

/** parseArgs in strict mode; a bad option becomes a UsageError that points at `--help`. */
export function parseCommandArgs<T extends Options>(command: string, argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '') : String(error);
    throw new UsageError('USAGE', `${command}: ${message}\nRun "cemcp ${command} --help" for its options.`, {}, { cause: error });
  }
}

export function parsePositiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError('USAGE', `${flag}: expected a positive whole number, got "${value}"`);
  return n;
}
