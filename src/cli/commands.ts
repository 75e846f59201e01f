// The command table: every `cemcp <command>`, in the order `cemcp --help` lists them. To add a
// command, write a `Command` (command.ts) in its own file and list it here.
import type { Command } from './command.js';
import { auditCommand } from './audit-command.js';
import { benchCommand } from './bench-command.js';
import { execCommand, searchCommand, typesCommand } from './gateway-commands.js';
import { doctorCommand } from './doctor.js';
import { initCommand } from './init-command.js';
import { serveCommand } from './serve-command.js';

export const COMMANDS: readonly Command[] = [
  serveCommand,
  searchCommand,
  execCommand,
  typesCommand,
  doctorCommand,
  initCommand,
  auditCommand,
  benchCommand,
];
