// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Which features are on in data/settings.json, and who owns the service.
interface Settings {
  service: string;
  version: string;
  features: Record<string, boolean>;
  owners: string[];
}
const dirs = await filesystem.list_allowed_directories({});
const root = dirs.content.split("\n").slice(1).find((l) => l.trim().length > 0)!;
const raw = await filesystem.read_text_file({ path: root + "/data/settings.json" });
const settings: Settings = JSON.parse(raw.content);
const enabled = Object.keys(settings.features).filter((k) => settings.features[k]);
const disabled: string[] = [];
for (const k in settings.features) if (!settings.features[k]) disabled.push(k);
return { service: `${settings.service}@${settings.version}`, enabled, disabled, owners: settings.owners.length };
