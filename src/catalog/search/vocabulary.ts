// A general API vocabulary for search: the five CRUD actions with the words people use for them,
// synonym groups of common API nouns and verbs, and multi-word phrases folded to one word.
// Written from general API usage (REST conventions, common SaaS and cloud terms), never tuned to
// one spec. Pure data plus lookups; imported by catalog/search/ only.

export type Action = 'create' | 'list' | 'get' | 'update' | 'delete';

/** Words whose presence as the request's (or an operation's) verb names a CRUD action. */
const ACTION_WORDS: Readonly<Record<Action, readonly string[]>> = {
  create: ['create', 'add', 'new', 'make', 'provision', 'insert', 'register', 'post', 'open', 'invite', 'generate',
    'upload', 'submit', 'issue', 'enroll', 'spinup', 'setup', 'build', 'start', 'launch', 'define', 'publish', 'put',
    'save', 'write', 'store', 'attach', 'connect', 'hookup', 'send'],
  list: ['list', 'lists', 'listing', 'enumerate', 'browse', 'index', 'all', 'every', 'search', 'find', 'query', 'filter', 'dump'],
  get: ['get', 'fetch', 'retrieve', 'read', 'view', 'show', 'describe', 'detail', 'details', 'info', 'information',
    'lookup', 'inspect', 'see', 'display', 'check', 'load', 'return'],
  update: ['update', 'edit', 'change', 'modify', 'patch', 'alter', 'adjust', 'set', 'rename', 'replace', 'configure',
    'toggle', 'enable', 'disable', 'turnon', 'turnoff', 'switch', 'move', 'assign', 'upgrade', 'downgrade', 'reset', 'overwrite', 'mark'],
  delete: ['delete', 'remove', 'drop', 'destroy', 'erase', 'purge', 'trash', 'discard', 'wipe', 'clear', 'uninstall',
    'unregister', 'unsubscribe', 'teardown', 'decommission', 'deregister', 'detach', 'unlink', 'revoke', 'release', 'kick'],
};

const ACTION_BY_WORD = new Map<string, Action>();
for (const [action, words] of Object.entries(ACTION_WORDS) as [Action, readonly string[]][]) {
  for (const word of words) if (!ACTION_BY_WORD.has(word)) ACTION_BY_WORD.set(word, action);
}

/** The CRUD action a (lowercase, unstemmed) word names, if any. */
export function actionOfWord(word: string): Action | undefined {
  return ACTION_BY_WORD.get(word);
}

// Nouns that are verbs when they lead a request (`file a ticket`, `text the customer`).
const LEADING_VERBS: Readonly<Record<string, Action>> = {
  file: 'create', text: 'create', ring: 'create', dial: 'create', message: 'create', email: 'create', mail: 'create',
  ping: 'create', tag: 'update', label: 'update', star: 'create', bookmark: 'create', archive: 'update', ship: 'update',
  charge: 'create', bill: 'create', schedule: 'create', book: 'create', log: 'create', record: 'create', share: 'create',
};

/** The action a word names when it is the request's first word (a leading verb), if any. */
export function actionOfFirstWord(word: string): Action | undefined {
  return LEADING_VERBS[word] ?? ACTION_BY_WORD.get(word);
}

// Each group: words a person and an API use for one idea. A query word brings the others in at a
// lower weight. Kept small and general; both directions of a relation stay separate groups.
const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['delete', 'remove', 'drop', 'destroy', 'erase', 'trash', 'discard', 'wipe', 'release'],
  ['purge', 'clear', 'flush', 'invalidate', 'empty'],
  ['save', 'write', 'store', 'put', 'persist'],
  ['attach', 'connect', 'link', 'hookup', 'bind', 'associate'],
  ['rotate', 'roll', 'regenerate', 'renew', 'refresh', 'reissue', 'reset'],
  ['monitor', 'ping', 'probe', 'healthcheck', 'uptime', 'watch'],
  ['call', 'ring', 'dial', 'phone'],
  ['participant', 'attendee', 'member', 'caller'],
  ['app', 'application'],
  ['own', 'owned', 'belong', 'belonging'],
  ['stream', 'streaming', 'live', 'realtime'],
  ['colleague', 'coworker', 'teammate', 'member', 'employee', 'staff'],
  ['create', 'add', 'new', 'make', 'provision', 'insert'],
  ['list', 'enumerate', 'browse', 'index'],
  ['get', 'fetch', 'retrieve', 'read', 'view', 'show', 'describe', 'detail', 'info', 'lookup', 'inspect', 'display'],
  ['update', 'edit', 'modify', 'change', 'patch', 'alter', 'adjust'],
  ['stop', 'terminate', 'kill', 'halt', 'shutdown', 'abort', 'end'],
  ['cancel', 'abort', 'void', 'revoke', 'withdraw'],
  ['start', 'launch', 'boot', 'begin', 'trigger', 'kick', 'run', 'execute', 'invoke'],
  ['restart', 'reboot', 'reload', 'bounce', 'recycle'],
  ['pause', 'suspend', 'freeze', 'hold'],
  ['resume', 'unpause', 'continue', 'unfreeze'],
  ['ban', 'block', 'deny', 'blacklist', 'blocklist', 'forbid', 'reject', 'blocked'],
  ['allow', 'permit', 'whitelist', 'allowlist', 'unblock', 'accept', 'approve'],
  ['signup', 'register', 'registration', 'enroll', 'enrollment', 'join', 'onboard'],
  ['login', 'signin', 'authenticate', 'authentication', 'logon', 'session'],
  ['logout', 'signout', 'logoff'],
  ['user', 'member', 'person', 'people', 'profile', 'who'],
  ['team', 'group', 'organization', 'org'],
  ['email', 'mail', 'inbox'],
  ['message', 'msg', 'text', 'chat'],
  ['send', 'deliver', 'dispatch', 'notify', 'post'],
  ['invite', 'invitation'],
  ['image', 'picture', 'photo', 'pic', 'avatar', 'icon'],
  ['file', 'document', 'doc', 'attachment', 'blob', 'object'],
  ['folder', 'directory', 'dir'],
  ['repository', 'repo', 'project'],
  ['password', 'passphrase', 'credential', 'secret'],
  ['token', 'key', 'apikey'],
  ['certificate', 'cert', 'tls', 'ssl'],
  ['domain', 'zone', 'hostname', 'site', 'website'],
  ['invoice', 'bill', 'billing', 'charge'],
  ['payment', 'pay', 'charge', 'transaction'],
  ['subscription', 'subscribe', 'plan'],
  ['webhook', 'hook', 'callback'],
  ['notification', 'alert', 'notice'],
  ['log', 'logs', 'audit', 'history', 'trail'],
  ['metric', 'metrics', 'stat', 'stats', 'statistic', 'analytic', 'usage', 'report', 'insight'],
  ['rollback', 'revert', 'undo', 'restore'],
  ['deploy', 'deployment', 'release', 'publish', 'ship', 'rollout'],
  ['copy', 'duplicate', 'clone', 'fork'],
  ['move', 'transfer', 'relocate'],
  ['search', 'find', 'query', 'lookup', 'filter'],
  ['count', 'total', 'number', 'howmany'],
  ['comment', 'reply', 'note', 'remark'],
  ['tag', 'label'],
  ['star', 'favorite', 'bookmark', 'like'],
  ['merge', 'combine'],
  ['schedule', 'cron', 'timer', 'recurring'],
  ['job', 'task', 'workflow'],
  ['environment', 'env'],
  ['variable', 'var', 'setting', 'config', 'configuration', 'option', 'preference', 'property'],
  ['disable', 'deactivate', 'turnoff', 'switchoff', 'off'],
  ['enable', 'activate', 'turnon', 'switchon', 'on'],
  ['instance', 'server', 'machine', 'vm', 'host', 'droplet', 'node'],
  ['database', 'db'],
  ['bucket', 'storage', 'store'],
  ['rule', 'policy'],
  ['address', 'ip'],
  ['download', 'export', 'dump'],
  ['coordinate', 'coordinates', 'latitude', 'longitude', 'lat', 'lng', 'geo', 'location'],
  ['convert', 'transform', 'translate', 'turn'],
  ['import', 'ingest', 'upload'],
  ['owner', 'admin', 'administrator', 'maintainer'],
  ['collaborator', 'contributor', 'member'],
  ['channel', 'conversation', 'room', 'thread'],
  ['calendar', 'event', 'meeting', 'appointment'],
  ['customer', 'client', 'buyer'],
  ['refund', 'reimburse'],
  ['price', 'pricing', 'cost', 'rate'],
  ['order', 'purchase', 'buy'],
  ['error', 'failure', 'fault', 'exception'],
  ['version', 'revision'],
  ['permission', 'access', 'role', 'grant', 'privilege'],
  ['certificate', 'certificates'],
  ['record', 'entry', 'row', 'item'],
  ['history', 'activity', 'timeline'],
  ['health', 'status', 'uptime', 'healthcheck'],
  ['limit', 'quota', 'cap', 'ratelimit'],
  ['redirect', 'forward', 'forwarding'],
  ['cache', 'cdn'],
  ['worker', 'function', 'lambda', 'script'],
  ['secret', 'vault'],
  ['issue', 'ticket', 'bug'],
  ['pullrequest', 'pr', 'mergerequest'],
  ['branch', 'ref'],
  ['commit', 'changeset'],
  ['run', 'execution'],
  ['manager', 'supervisor', 'boss', 'lead'],
  ['report', 'subordinate', 'directreport'],
];

// Phrases folded to one word before splitting, so `turn off` is `turnoff`, like the API would write it.
const PHRASES: readonly [RegExp, string][] = [
  [/\bturn(?:ing|ed|s)? (?:it |this |that |them )?off\b/g, 'turnoff'],
  [/\bturn(?:ing|ed|s)? (?:it |this |that |them )?on\b/g, 'turnon'],
  [/\bswitch(?:ing|ed|es)? off\b/g, 'switchoff'],
  [/\bswitch(?:ing|ed|es)? on\b/g, 'switchon'],
  [/\bsign(?:ing|ed|s)? ?up\b/g, 'signup'],
  [/\bsign(?:ing|ed|s)? ?in\b/g, 'signin'],
  [/\bsign(?:ing|ed|s)? ?out\b/g, 'signout'],
  [/\blog(?:ging|ged|s)? ?in\b/g, 'login'],
  [/\blog(?:ging|ged|s)? ?out\b/g, 'logout'],
  [/\broll(?:ing|ed|s)? ?back\b/g, 'rollback'],
  [/\bspin(?:ning|s)? ?up\b/g, 'spinup'],
  [/\bset(?:ting|s)? ?up\b/g, 'setup'],
  [/\btear(?:ing|s)? ?down\b/g, 'teardown'],
  [/\blook(?:ing|ed|s)? ?up\b/g, 'lookup'],
  [/\bhow many\b/g, 'howmany'],
  [/\bhook(?:ing|ed|s)? ?up\b/g, 'hookup'],
  [/\bwho (?:changed|modified|deleted|removed|edited|did|made|touched)\b/g, 'who audit'],
  [/\bpull requests?\b/g, 'pullrequest'],
  [/\bmerge requests?\b/g, 'mergerequest'],
  [/\bdirect reports?\b/g, 'directreport'],
  [/\bapi keys?\b/g, 'apikey'],
  [/\brate ?limit(?:s|ing)?\b/g, 'ratelimit'],
  [/\bhealth ?checks?\b/g, 'healthcheck'],
];

// The first words of the phrases: a text with none of them has nothing to fold (most texts).
const PHRASE_STARTS = /\b(turn|switch|sign|log|roll|spin|set|tear|look|how|pull|merge|direct|api|rate|health|hook|who)/;

/** Folds multi-word phrases into the single words the vocabulary knows (lowercases the text). */
export function foldPhrases(text: string): string {
  let out = text.toLowerCase();
  if (!PHRASE_STARTS.test(out)) return out;
  for (const [pattern, word] of PHRASES) out = out.replace(pattern, word);
  return out;
}

/** Synonym groups as lists of words; the caller stems them with the same stemmer as the index. */
export function synonymGroups(): readonly (readonly string[])[] {
  return SYNONYM_GROUPS;
}
