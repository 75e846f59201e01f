// typecheck-eval {"kind":"valid","servers":["everything"]}
// Which environment variables does the server see? Names only, grouped by prefix.
const env = await everything.get_env({});
const vars = typeof env === "string" ? JSON.parse(env) : env;
const prefixes = {};
for (const key of Object.keys(vars)) {
  const prefix = key.includes("_") ? key.slice(0, key.indexOf("_")) : key;
  prefixes[prefix] = (prefixes[prefix] ?? 0) + 1;
}
return { count: Object.keys(vars).length, hasPath: "PATH" in vars, prefixes: Object.keys(prefixes).length };
