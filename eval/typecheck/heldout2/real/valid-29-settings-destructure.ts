// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Effective retry policy from settings.json, with defaults for keys it doesn't set.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const settings = JSON.parse((await filesystem.read_text_file({ path: `${root}/data/settings.json` })).content);
const { limits: { maxRetries = 1, timeoutMs = 1000, backoffMs = 200 } = {}, features = {}, region = "eu-west-1" } = settings;
const delays = Array.from({ length: maxRetries }, (_, i) => backoffMs * 2 ** i);
const worstCaseMs = delays.reduce((s: number, d: number) => s + d, 0) + maxRetries * timeoutMs;
const flags = Object.keys(features).filter((k) => features[k]);
return { region, delays, worstCaseMs, flags };
