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

/** Nested aliases that expand to 10^6 values: `yaml` refuses them past its alias limit. */
function laughs(): string {
  let out = '    x-laughs:\n';
  let prev = 'a';
  for (const n of ['b', 'c', 'd', 'e', 'f']) {
    out += `      ${n}: &${n} [${Array(10).fill(`*${prev}`).join(', ')}]\n`;
    prev = n;
  }
  return out;
}

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
    yaml: `${head}    base_url: https://x/api?page=1\n    profile: platform\n`,
    at: '4:15',
    message: /base_url has an invalid value/,
    fix: /no query or fragment/,
  },
  {
    name: 'base_url with a token in its query (masked in the message)',
    yaml: `${head}    base_url: https://x/api?access_token=s3cr3t\n    profile: platform\n`,
    at: '4:15',
    message: /^(?!.*s3cr3t).*base_url carries what looks like a credential in its query \(access_token\)/,
    fix: /auth:.*never in a URL/,
  },
  {
    name: 'base_url with user info',
    yaml: `${head}    base_url: https://admin:s3cr3t@api.example.com\n    profile: platform\n`,
    at: '4:15',
    message: /^(?!.*s3cr3t).*base_url carries credentials in its user info/,
    fix: /remove "user:password@"/,
  },
  {
    name: 'base_url port out of range',
    yaml: `${head}    base_url: https://api.example.com:70000\n    profile: platform\n`,
    at: '4:15',
    message: /base_url names port 70000, outside 1–65535/,
    fix: /between 1 and 65535/,
  },
  {
    name: 'base_url port zero',
    yaml: `${head}    base_url: http://127.0.0.1:0/api\n    profile: platform\n`,
    at: '4:15',
    message: /base_url names port 0, outside 1–65535/,
    fix: /between 1 and 65535/,
  },
  {
    name: 'base_url with an invalid host',
    yaml: `${head}    base_url: https://api exa.com\n    profile: platform\n`,
    at: '4:15',
    message: /base_url has an invalid value/,
    fix: /absolute http\(s\) URL/,
  },
  {
    name: 'base_url with a malformed IPv6 host',
    yaml: `${head}    base_url: http://[::1\n    profile: platform\n`,
    at: '4:15',
    message: /base_url is not a valid URL/,
    fix: /absolute URL/,
  },
  {
    name: 'http_url port out of range',
    yaml: `${head}    base_url: https://api.example.com\n    profile: platform\n    http_url: http://api.example.com:65536\n`,
    at: '6:15',
    message: /http_url names port 65536/,
    fix: /between 1 and 65535/,
  },
  {
    name: 'allowed origin with a port out of range',
    yaml: `${head}${ok}    cors:\n      allowed_origins: [https://app.example.com:99999]\n`,
    at: '7:25',
    message: /cors\.allowed_origins\[0\] names port 99999/,
    fix: /between 1 and 65535/,
  },
  {
    name: 'header name with a space',
    yaml: `${head}${ok}    headers:\n      X Tenant: a\n`,
    at: '7:7',
    message: /header name "X Tenant" .* cannot carry/,
    fix: /no spaces, colons or line breaks/,
  },
  {
    name: 'header name with a colon',
    yaml: `${head}${ok}    headers:\n      "X-Tenant:": a\n`,
    at: '7:7',
    message: /header name "X-Tenant:"/,
    fix: /no spaces, colons/,
  },
  {
    name: 'header value with a line break (header injection)',
    yaml: `${head}${ok}    headers:\n      X-Tenant: "a\\r\\nX-Injected: 1"\n`,
    at: '7:17',
    message: /value of header X-Tenant .* line break or control character/,
    fix: /remove CR, LF/,
  },
  {
    name: 'header value from an environment variable with a trailing newline',
    yaml: `${head}${ok}    headers:\n      X-Tenant: \${TENANT}\n`,
    env: { TENANT: 'acme\n' },
    at: '7:17',
    message: /value of header X-Tenant .* \(from its environment variable\)/,
    fix: /trailing newline/,
  },
  {
    name: 'header the client sets itself',
    yaml: `${head}${ok}    headers:\n      Content-Length: "5"\n`,
    at: '7:7',
    message: /header Content-Length .* set by the HTTP client itself/,
    fix: /remove Content-Length/,
  },
  {
    name: 'a literal token in headers (would not be redacted)',
    yaml: `${head}${ok}    headers:\n      Authorization: Bearer abc123\n`,
    at: '7:22',
    message: /header Authorization .* holds a literal credential/,
    fix: /auth: \(bearer/,
  },
  {
    name: 'a literal cookie in headers',
    yaml: `${head}${ok}    headers:\n      Cookie: session=abc123\n`,
    at: '7:15',
    message: /header Cookie .* literal credential/,
    fix: /Cookie: \$\{VAR\}/,
  },
  {
    name: 'a bearer token with a trailing newline',
    yaml: `${head}${ok}    auth:\n      bearer: \${TOKEN}\n`,
    env: { TOKEN: 'abc\r\n' },
    at: '7:15',
    message: /^(?!.*abc).*auth\.bearer .* line break or control character/,
    fix: /trailing newline/,
  },
  {
    name: 'openapi_source file that does not exist',
    yaml: `${head}${ok}    openapi_source: ./no-such-openapi.yaml\n`,
    at: '6:21',
    message: /openapi_source "\.\/no-such-openapi\.yaml" cannot be read/,
    fix: /relative to targets\.yaml/,
  },
  {
    name: 'openapi_source that is a directory',
    yaml: `${head}${ok}    openapi_source: ./tests\n`,
    at: '6:21',
    message: /openapi_source "\.\/tests" is not a file/,
    fix: /OpenAPI document/,
  },
  {
    name: 'openapi_source with an unsupported scheme',
    yaml: `${head}${ok}    openapi_source: ftp://files.example.com/openapi.json\n`,
    at: '6:21',
    message: /openapi_source must be an http\(s\) URL/,
    fix: /https:\/\//,
  },
  {
    name: 'openapi_source URL with a port out of range',
    yaml: `${head}${ok}    openapi_source: https://docs.example.com:123456/openapi.json\n`,
    at: '6:21',
    message: /openapi_source names port 123456/,
    fix: /between 1 and 65535/,
  },
  {
    name: 'openapi_source URL with a signature in its query',
    yaml: `${head}${ok}    openapi_source: https://bucket.example.com/openapi.json?X-Amz-Signature=abc\n`,
    at: '6:21',
    message: /openapi_source carries what looks like a credential/,
    fix: /point openapi_source at the file/,
  },
  {
    name: 'openapi_source that is not a string',
    yaml: `${head}${ok}    openapi_source: [a]\n`,
    at: '6:21',
    message: /openapi_source must be a string/,
    fix: /write a string/,
  },
  {
    name: 'YAML aliases past the alias limit (billion laughs)',
    yaml: `${head}${ok}    deprecated_prefixes: &a [/a, /a, /a, /a, /a, /a, /a, /a, /a, /a]\n    rules:\n      skip: []\n${laughs()}`,
    at: '10:14',
    message: /YAML aliases \(\*name\) expand to more values than the limit/,
    fix: /defaults:/,
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
