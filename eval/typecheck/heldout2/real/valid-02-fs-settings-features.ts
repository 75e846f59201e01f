// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Which features are on in data/settings.json, and the retry budget in seconds.
const dirs = await filesystem.list_allowed_directories({});
const root = dirs.content.split("\n")[1].trim();
const raw = await filesystem.read_text_file({ path: `${root}/data/settings.json` });
const settings = JSON.parse(raw.content);
const enabled = Object.entries(settings.features).filter(([, on]) => on).map(([name]) => name);
const budgetSeconds = (settings.limits.maxRetries * settings.limits.timeoutMs) / 1000;
const ownerDomains = settings.owners.map((o: string) => o.split("@")[1]);
return { service: settings.service, version: settings.version, enabled, budgetSeconds, ownerDomains: [...new Set(ownerDomains)] };
