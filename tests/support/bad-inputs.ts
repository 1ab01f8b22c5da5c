/**
 * Broken targets.yaml files and environments users really write, each with where the harness
 * must point and what it must say. Shared by tests/bad-input.test.ts and the table in the notes.
 */
export interface BadInput {
  readonly name: string;
  readonly yaml: string;
  readonly env?: Record<string, string>;
  /** line:column the first problem must name. */
  readonly at: string;
  /** The message must match this. */
  readonly message: RegExp;
  /** The fix must match this. */
  readonly fix: RegExp;
}

const head = 'version: 1\ntargets:\n  staging:\n';
const ok = '    base_url: https://api.example.com\n    profile: platform\n';

export const BAD_INPUTS: readonly BadInput[] = [
  {
    name: 'YAML syntax error (unclosed flow sequence)',
    yaml: `${head}${ok}    deprecated_prefixes: [/v1\n`,
    at: '7:1',
    message: /YAML syntax error/,
    fix: /fix the YAML syntax/,
  },
  { name: 'tab indentation', yaml: `${head}\tbase_url: https://x\n`, at: '4:1', message: /YAML syntax error/, fix: /indentation/ },
  { name: 'empty file', yaml: '', at: '1:1', message: /the targets file is empty/, fix: /version: 1/ },
  { name: 'only comments', yaml: '# nothing here\n', at: '1:1', message: /the targets file is empty/, fix: /version: 1/ },
  {
    name: 'a list instead of a map',
    yaml: '- staging\n',
    at: '1:1',
    message: /the top level must be a map \(key: value lines\)/,
    fix: /write a map/,
  },
  {
    name: 'version missing',
    yaml: `targets:\n  staging:\n${ok}`,
    at: '1:1',
    message: /missing the required key "version"/,
    fix: /add version/,
  },
  { name: 'version 2', yaml: `version: 2\ntargets:\n  staging:\n${ok}`, at: '1:10', message: /version must be 1/, fix: /version: 1/ },
  { name: 'targets missing', yaml: 'version: 1\n', at: '1:1', message: /missing the required key "targets"/, fix: /add targets/ },
  {
    name: 'no targets at all',
    yaml: 'version: 1\ntargets: {}\n',
    at: '2:10',
    message: /targets declares no target/,
    fix: /declare at least one target/,
  },
  {
    name: '"target" instead of "targets"',
    yaml: `version: 1\ntarget:\n  staging:\n${ok}`,
    at: '2:1',
    message: /unknown key "target" in the top level/,
    fix: /did you mean "targets"\?/,
  },
  {
    name: 'base_url missing',
    yaml: `${head}    profile: platform\n`,
    at: '4:5',
    message: /targets\.staging is missing the required key "base_url"/,
    fix: /add base_url/,
  },
  {
    name: 'profile missing',
    yaml: `${head}    base_url: https://x\n`,
    at: '4:5',
    message: /missing the required key "profile"/,
    fix: /add profile/,
  },
  {
    name: 'unknown profile',
    yaml: `${head}    base_url: https://x\n    profile: backnd\n`,
    at: '5:14',
    message: /profile must be one of \["platform","backend"\]/,
    fix: /did you mean "backend"\?/,
  },
  {
    name: 'misspelt key',
    yaml: `${head}${ok}    timout_ms: 100\n`,
    at: '6:5',
    message: /unknown key "timout_ms" in targets\.staging/,
    fix: /did you mean "timeout_ms"\?/,
  },
  {
    name: 'base_url not http(s)',
    yaml: `${head}    base_url: ftp://files.example.com\n    profile: platform\n`,
    at: '4:15',
    message: /base_url has an invalid value "ftp:\/\/files\.example\.com"/,
    fix: /absolute http\(s\) URL/,
  },
  {
    name: 'base_url with a query string',
    yaml: `${head}    base_url: https://x/api?key=1\n    profile: platform\n`,
    at: '4:15',
    message: /base_url has an invalid value/,
    fix: /no query or fragment/,
  },
  {
    name: 'base_url not a URL',
    yaml: `${head}    base_url: staging\n    profile: platform\n`,
    at: '4:15',
    message: /base_url has an invalid value "staging"/,
    fix: /absolute http\(s\) URL/,
  },
  {
    name: 'timeout as a string',
    yaml: `${head}${ok}    timeout_ms: 5s\n`,
    at: '6:17',
    message: /timeout_ms must be a whole number/,
    fix: /write a whole number/,
  },
  {
    name: 'timeout of zero',
    yaml: `${head}${ok}    timeout_ms: 0\n`,
    at: '6:17',
    message: /timeout_ms must be >= 100/,
    fix: /use a number of at least 100/,
  },
  {
    name: 'unknown mode',
    yaml: `${head}${ok}    mode: write\n`,
    at: '6:11',
    message: /mode must be one of \["read-only","mutating"\]/,
    fix: /use one of: read-only, mutating/,
  },
  {
    name: 'unknown rule id in rules.skip',
    yaml: `${head}${ok}    rules:\n      skip: [security.xss-protect]\n`,
    at: '7:14',
    message: /unknown rule id "security\.xss-protect" in rules\.skip/,
    fix: /did you mean "security\.xss-protection"\?/,
  },
  {
    name: 'unknown rule id in rules.severity',
    yaml: `${head}${ok}    rules:\n      severity: { cors.maxage: off }\n`,
    at: '7:19',
    message: /unknown rule id "cors\.maxage" in rules\.severity/,
    fix: /did you mean "cors\.max-age"\?/,
  },
  {
    name: 'invalid severity',
    yaml: `${head}${ok}    rules:\n      severity: { cors.max-age: critical }\n`,
    at: '7:33',
    message: /must be one of \["must","should","off"\]/,
    fix: /use one of: must, should, off/,
  },
  {
    name: 'negative rate limit',
    yaml: `${head}${ok}    rate_limit: { limit: -600, window_s: 60 }\n`,
    at: '6:26',
    message: /rate_limit\.limit must be >= 1/,
    fix: /use a number of at least 1/,
  },
  {
    name: 'burst without a limit',
    yaml: `${head}${ok}    rate_limit: { burst: true }\n`,
    at: '6:26',
    message: /rate_limit\.burst needs rate_limit\.limit/,
    fix: /declare the limit/,
  },
  {
    name: 'missing ${VAR}',
    yaml: `${head}${ok}    auth:\n      bearer: \${STAGING_TOKEN}\n`,
    at: '7:15',
    message: /environment variable STAGING_TOKEN is not set \(used by targets\.staging\.auth\.bearer of target "staging"\)/,
    fix: /export STAGING_TOKEN=…, or write \$\{STAGING_TOKEN:-\}/,
  },
  { name: 'duplicate target names', yaml: `${head}${ok}  staging:\n${ok}`, at: '6:3', message: /duplicate key/, fix: /remove or rename/ },
  {
    name: 'duplicate key inside a target',
    yaml: `${head}${ok}    profile: backend\n`,
    at: '6:5',
    message: /duplicate key/,
    fix: /remove or rename/,
  },
  {
    name: 'unknown credential name',
    yaml: `${head}${ok}    auth:\n      token: abc\n`,
    at: '7:7',
    message: /unknown key "token" in targets\.staging\.auth/,
    fix: /allowed keys here: bearer, api_key/,
  },
  {
    name: 'item path without {id}',
    yaml: `${head}${ok}    resources:\n      - { name: docs, collection: /v2/docs, item: /v2/docs/:id }\n`,
    at: '7:51',
    message: /item has an invalid value "\/v2\/docs\/:id"/,
    fix: /\{id\}/,
  },
  {
    name: 'resource without collection',
    yaml: `${head}${ok}    resources:\n      - { name: docs, item: "/v2/docs/{id}" }\n`,
    at: '7:9',
    message: /resources\.0 is missing the required key "collection"/,
    fix: /add collection/,
  },
  {
    name: 'CORS origin with a path',
    yaml: `${head}${ok}    cors:\n      allowed_origins: [https://app.example.com/login]\n`,
    at: '7:25',
    message: /allowed_origins\.0 has an invalid value/,
    fix: /scheme:\/\/host\[:port\] with no path/,
  },
  {
    name: 'http_url on an http target',
    yaml: `${head}    base_url: http://api.example.com\n    profile: platform\n    http_url: http://api.example.com:8080\n`,
    at: '6:15',
    message: /http_url is only meaningful for an https base_url/,
    fix: /remove http_url/,
  },
  {
    name: 'ca_file that does not exist',
    yaml: `${head}${ok}    ca_file: ./no-such-ca.pem\n`,
    at: '6:14',
    message: /ca_file "\.\/no-such-ca\.pem" cannot be read/,
    fix: /PEM file/,
  },
  {
    name: 'upload naming an unknown resource',
    yaml: `${head}${ok}    resources:\n      - { name: sessions, collection: /v1/sessions, item: "/v1/sessions/{id}" }\n    uploads:\n      - { path: "/v1/sessions/{id}/recording", resource: sesions, max_bytes: 10 }\n`,
    at: '9:58',
    message: /uploads\[0\]\.resource names "sesions"/,
    fix: /did you mean "sessions"\?/,
  },
  {
    name: 'target name with spaces',
    yaml: `version: 1\ntargets:\n  my staging:\n${ok}`,
    at: '3:3',
    message: /invalid name "my staging" in targets/,
    fix: /target names use letters, digits/,
  },
  {
    name: 'a target that is a string',
    yaml: 'version: 1\ntargets:\n  staging: https://api.example.com\n',
    at: '3:12',
    message: /targets\.staging must be a map/,
    fix: /write a map/,
  },
  {
    name: 'deprecated prefix without a slash',
    yaml: `${head}${ok}    deprecated_prefixes: [v1]\n`,
    at: '6:27',
    message: /deprecated_prefixes\.0 has an invalid value "v1"/,
    fix: /paths start with "\/"/,
  },
  {
    name: 'header value that is not a string',
    yaml: `${head}${ok}    headers: { X-Tenant: 42 }\n`,
    at: '6:26',
    message: /headers\.X-Tenant must be a string/,
    fix: /write a string/,
  },
];
