// typecheck-eval {"kind":"wrong","class":"wrong-arg-type","line":6,"expect":["number"],"servers":["filesystem","everything"]}
// Adds the two retry numbers of settings.json, passed on as regex-matched strings.
const root = (await filesystem.list_allowed_directories({})).content.split("\n")[1];
const raw = (await filesystem.read_text_file({ path: `${root}/data/settings.json` })).content;
const [retries, timeout] = [raw.match(/"maxRetries": (\d+)/)![1]!, raw.match(/"timeoutMs": (\d+)/)![1]!];
const sum = await everything.get_sum({ a: retries, b: timeout });
return sum;
