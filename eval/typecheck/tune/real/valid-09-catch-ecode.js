// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Read a config that may not exist; fall back to defaults and report why.
const allowed = await filesystem.list_allowed_directories({});
const root = allowed.content.split("\n")[1];
let config = { retries: 1 };
let problem = null;
try {
  const file = await filesystem.read_text_file({ path: root + "/config/local.json" });
  config = JSON.parse(file.content);
} catch (e) {
  problem = { code: e.code, message: String(e.message).slice(0, 80) };
}
return { config, problem };
