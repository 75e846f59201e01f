// typecheck-eval {"kind":"valid","servers":["filesystem"]}
// Parse settings.json as unknown and narrow it with a type guard before use.
interface Limits { maxRetries: number; timeoutMs: number }
function isLimits(x: unknown): x is Limits {
  return typeof x === "object" && x !== null && typeof (x as any).maxRetries === "number" && typeof (x as any).timeoutMs === "number";
}
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const file = await filesystem.read_text_file({ path: `${root}/data/settings.json` });
const data: unknown = JSON.parse(file.content);
const limits = (data as { limits?: unknown }).limits;
if (!isLimits(limits)) return { error: "settings.json has no usable limits" };
const worstCaseMs = limits.timeoutMs * (limits.maxRetries + 1);
return { ...limits, worstCaseSeconds: worstCaseMs / 1000 };
