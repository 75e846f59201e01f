// The environment variables an upstream entry may not set without saying so (`allowEnv`): the class
// "makes the child load or run code it was not told to" — loader preloads, interpreter option and
// startup variables, shells' startup files, programs that tools run for you. Pure; imported by launch-policy.ts.

interface EnvRule {
  readonly test: (upperName: string) => boolean;
  readonly why: string;
}

const exact = (names: readonly string[], why: string): EnvRule => ({ test: (n) => names.includes(n), why });
const prefix = (start: string, why: string): EnvRule => ({ test: (n) => n.startsWith(start), why });

const RULES: readonly EnvRule[] = [
  prefix('LD_', 'the dynamic loader preloads or searches libraries with it'),
  prefix('DYLD_', 'the macOS dynamic loader inserts or searches libraries with it'),
  exact(['GCONV_PATH', 'OPENSSL_CONF', 'OPENSSL_ENGINES', 'OPENSSL_MODULES'], 'the C library or OpenSSL loads modules from it'),
  exact(['NODE_OPTIONS', 'NODE_PATH', 'NODE_REPL_EXTERNAL_MODULE', 'ELECTRON_RUN_AS_NODE'], 'Node.js reads options (--require, --import) or module folders from it'),
  exact(['NPM_CONFIG_SCRIPT_SHELL', 'NPM_CONFIG_SHELL', 'NPM_CONFIG_CALL', 'NPM_CONFIG_NODE_OPTIONS', 'NPM_CONFIG_ONLOAD_SCRIPT', 'NPM_CONFIG_USERCONFIG', 'NPM_CONFIG_GLOBALCONFIG'], 'npm and npx take the shell, a command or code to load from it'),
  exact(['BASH_ENV', 'ENV', 'ZDOTDIR', 'SHELLOPTS', 'BASHOPTS', 'PROMPT_COMMAND', 'PS4', 'SHELL', 'COMSPEC'], 'shells run the file or program it names'),
  prefix('BASH_FUNC_', 'bash defines a function from it in every bash the child starts'),
  exact(['PYTHONSTARTUP', 'PYTHONPATH', 'PYTHONHOME', 'PYTHONUSERBASE', 'PYTHONBREAKPOINT', 'PYTHONWARNINGS', 'PYTHONINSPECT'], 'Python imports or runs code from what it names'),
  exact(['PERL5OPT', 'PERL5LIB', 'PERLLIB', 'PERL5DB'], 'Perl reads options or library folders from it'),
  exact(['RUBYOPT', 'RUBYLIB'], 'Ruby reads options or library folders from it'),
  exact(['JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS', 'CLASSPATH'], 'the JVM reads options (-javaagent) or classes from it'),
  exact(['DOTNET_STARTUP_HOOKS', 'DOTNET_ADDITIONAL_DEPS'], '.NET loads assemblies it names'),
  prefix('CORECLR_PROFILER', '.NET loads the profiler it names'),
  prefix('COR_PROFILER', '.NET loads the profiler it names'),
  exact(['GIT_SSH_COMMAND', 'GIT_SSH', 'GIT_EXEC_PATH', 'GIT_ASKPASS', 'SSH_ASKPASS', 'GIT_PROXY_COMMAND', 'GIT_EXTERNAL_DIFF', 'GIT_EDITOR', 'GIT_PAGER', 'GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_SYSTEM', 'GIT_TEMPLATE_DIR', 'GIT_CONFIG_COUNT'], 'git runs the command it names or reads configuration (hooks, core.sshCommand) from it'),
  prefix('GIT_CONFIG_KEY_', 'git reads configuration (core.sshCommand, core.fsmonitor) from it'),
  prefix('GIT_CONFIG_VALUE_', 'git reads configuration (core.sshCommand, core.fsmonitor) from it'),
  exact(['EDITOR', 'VISUAL', 'PAGER', 'MANPAGER', 'LESSOPEN', 'LESSCLOSE', 'BROWSER'], 'tools run the program it names'),
];

/** Why setting `name` would make the child load or run code it was not told to, or undefined. */
export function dangerousEnvReason(name: string): string | undefined {
  const upper = name.toUpperCase().replace(/-/g, '_');
  return RULES.find((rule) => rule.test(upper))?.why;
}
