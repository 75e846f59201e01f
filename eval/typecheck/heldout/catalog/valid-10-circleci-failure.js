// typecheck-eval {"kind":"valid","servers":["circleci"]}
// Why did the last build fail? Pick the error and the test file out of the logs.
const logs = await circleci.get_build_failure_logs({ params: { projectSlug: "gh/acme/widgets", branch: "main" } });
const text = typeof logs === "string" ? logs : JSON.stringify(logs);
const error = text.split("\n").find((l) => l.startsWith("Error:"))?.slice(7);
const where = text.match(/at (\S+):(\d+)/);
return { error, file: where?.[1], line: where ? Number(where[2]) : null };
