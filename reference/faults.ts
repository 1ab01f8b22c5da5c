import type { Profile } from '../src/spec/vocabulary.ts';
/**
 * Named faults of the reference API. Each breaks one behaviour so that exactly one rule of the
 * catalogue fails (the mutation self-tests prove it). A fault is switched on per request by
 * the base path: /_f/<fault>[+<fault>…]/<profile>/… serves the profile with those faults,
 * each fault set with its own state, so one server hosts a whole matrix of faulty targets.
 */

export interface FaultSpec {
  /** The rule this fault makes fail (and its name, unless `name` is given). */
  readonly rule: string;
  /** A further fault of the same rule: its own name, `<rule>.<variant>`. */
  readonly name?: string;
  readonly profiles: readonly Profile[];
  readonly description: string;
}

const both: readonly Profile[] = ['platform', 'backend'];

export const FAULTS: readonly FaultSpec[] = [
  { rule: 'status.create-201', profiles: both, description: 'POST create answers 200 instead of 201' },
  { rule: 'status.read-200', profiles: both, description: 'GET item answers 203 instead of 200' },
  { rule: 'status.update-200', profiles: both, description: 'PUT answers 202 instead of 200' },
  { rule: 'status.delete-204', profiles: both, description: 'DELETE answers 200 with the deleted item instead of 204' },
  { rule: 'status.not-found-404', profiles: both, description: 'a missing item answers 400 instead of 404' },
  { rule: 'status.unknown-route-404', profiles: both, description: 'unknown routes under a version prefix answer 403' },
  { rule: 'status.validation-422', profiles: both, description: 'validation failures answer 400 instead of 422' },
  { rule: 'status.malformed-body-400', profiles: both, description: 'syntactically broken JSON answers 415' },
  { rule: 'status.method-not-allowed-405', profiles: both, description: 'unsupported methods answer 404 instead of 405' },
  { rule: 'status.no-server-errors', profiles: both, description: 'a very long item id crashes the handler (500)' },
  { rule: 'errors.shape', profiles: both, description: '404 bodies are {"message": …} instead of the profile error format' },
  { rule: 'errors.status-matches', profiles: ['platform'], description: 'problem `status` says 400 on 404 responses' },
  { rule: 'errors.problem-members', profiles: ['platform'], description: 'problem bodies omit `type` and `title`' },
  { rule: 'errors.content-type', profiles: both, description: 'error bodies are labelled text/plain' },
  { rule: 'errors.validation-details', profiles: both, description: '422 bodies do not name the offending fields' },
  {
    rule: 'errors.validation-details',
    name: 'errors.validation-details.unnamed',
    profiles: ['backend'],
    description: '422 `error.details` says what went wrong ({errors: [{message, type}]}) but names no field',
  },
  { rule: 'errors.code-format', profiles: ['backend'], description: 'envelope error codes are lower-case' },
  { rule: 'errors.no-internal-leak', profiles: both, description: 'a malformed id shows a Python traceback in the error body' },
  {
    rule: 'errors.no-internal-leak',
    name: 'errors.no-internal-leak.html-encoded',
    profiles: both,
    description:
      "broken JSON is answered with Express's HTML-encoded trace in the message (`at JSON.parse (&lt;anonymous&gt;)<br> &nbsp;at parse (…/node_modules/…)`)",
  },
  { rule: 'pagination.envelope', profiles: both, description: 'lists send the page size (`pagination.limit` / `page_size`) as a string' },
  { rule: 'pagination.default-limit', profiles: both, description: 'without a size parameter lists serve 100 items instead of 50 / 20' },
  { rule: 'pagination.limit-bounds', profiles: both, description: 'page sizes up to 500 are accepted' },
  {
    rule: 'pagination.walk-complete',
    profiles: both,
    description: 'page boundaries are off by one: cursors skip an item (platform), pages repeat one (backend)',
  },
  {
    rule: 'pagination.terminal-page',
    profiles: both,
    description: 'the last page still carries a cursor (platform); pages past the end repeat the last page (backend)',
  },
  {
    rule: 'pagination.terminal-page',
    name: 'pagination.terminal-page.has-more-forever',
    profiles: both,
    description: 'has_more is always true; the last page gives no cursor (platform), pages past the end are empty (backend)',
  },
  {
    rule: 'pagination.invalid-cursor',
    profiles: ['platform'],
    description: 'an undecodable cursor is ignored: the list starts over with 200',
  },
  { rule: 'pagination.cursor-opaque', profiles: ['platform'], description: 'cursors are plain text `after:<n>`, not base64' },
  { rule: 'pagination.page-bounds', profiles: ['backend'], description: 'page 0 and -1 are served as page 1' },
  {
    rule: 'pagination.total-consistent',
    profiles: both,
    description: '`total` / `metadata.total_count` counts only the items of the page',
  },
  {
    rule: 'pagination.stable-under-writes',
    profiles: both,
    description: 'lists are newest first with offset positions: an item created mid-walk shifts later pages',
  },
  { rule: 'ratelimit.headers', profiles: both, description: 'X-RateLimit-Reset is delta-seconds, not the epoch second the window resets' },
  { rule: 'ratelimit.remaining-decrements', profiles: both, description: 'X-RateLimit-Remaining stays at the limit' },
  { rule: 'ratelimit.429', profiles: both, description: 'past the limit requests are still served (the headers say 0 remaining)' },
  { rule: 'ratelimit.retry-after', profiles: both, description: '429 responses carry no Retry-After' },
  { rule: 'ratelimit.429-body', profiles: ['platform'], description: 'the 429 problem body has no `retry_after`' },
  { rule: 'auth.missing-401', profiles: both, description: 'DELETE on items forgot its auth dependency: served without credentials' },
  { rule: 'auth.invalid-401', profiles: both, description: 'unsigned JWTs (alg "none") are accepted' },
  { rule: 'auth.expired-401', profiles: both, description: 'token expiry is not checked' },
  { rule: 'auth.www-authenticate', profiles: both, description: '401 responses carry no WWW-Authenticate challenge' },
  { rule: 'auth.forbidden-403', profiles: both, description: 'a read-only credential writing gets 401 instead of 403' },
  { rule: 'auth.api-key', profiles: ['platform'], description: 'API keys are checked by their prefix only' },
  { rule: 'auth.query-token-rejected', profiles: both, description: 'a token in ?access_token= / ?token= authenticates' },
  {
    rule: 'auth.cross-tenant',
    profiles: both,
    description: "reads look item ids up in every organisation (another tenant's item is readable)",
  },
  { rule: 'auth.public-health', profiles: both, description: 'health and ready demand credentials' },
  { rule: 'auth.read-only-fields', profiles: both, description: 'created_at/updated_at sent by the client are stored (mass assignment)' },
  { rule: 'format.json-content-type', profiles: both, description: 'item reads are labelled text/plain' },
  { rule: 'format.snake-case', profiles: both, description: 'items carry a camelCase field (displayName)' },
  { rule: 'format.timestamps', profiles: both, description: 'item timestamps have no time-zone offset (naive datetimes)' },
  { rule: 'format.boolean-prefix', profiles: ['platform'], description: 'the is_archived boolean is named archived' },
  { rule: 'format.uuid-ids', profiles: both, description: 'items embed organization.id, which is not a UUID' },
  { rule: 'format.response-envelope', profiles: ['platform'], description: 'single-resource responses omit `metadata`' },
  { rule: 'versioning.prefix', profiles: both, description: 'the OpenAPI document lists an unversioned route' },
  { rule: 'versioning.deprecation-header', profiles: both, description: 'the deprecated version answers without a Deprecation header' },
  { rule: 'versioning.unknown-version', profiles: both, description: 'any /v{n} is served as the current version (/v99 answers 200)' },
  { rule: 'observability.request-id', profiles: both, description: '401 responses carry no X-Request-ID' },
  { rule: 'observability.request-id-echo', profiles: both, description: 'a client-sent X-Request-ID is replaced by a fresh one' },
  { rule: 'observability.health', profiles: both, description: 'health answers {"status": "ok"} instead of "healthy"' },
  { rule: 'observability.ready', profiles: ['backend'], description: 'not ready is a 503 {"detail": …} without the error envelope' },
  { rule: 'methods.put-idempotent', profiles: both, description: 'each PUT bumps a `revision` field, so the same PUT twice differs' },
  { rule: 'methods.delete-idempotent', profiles: both, description: 'a second DELETE answers 410 Gone' },
  { rule: 'methods.get-safe', profiles: both, description: 'a GET of an item bumps its updated_at' },
  {
    rule: 'security.hsts',
    profiles: both,
    description: 'over https, Strict-Transport-Security is max-age=86400 without includeSubDomains',
  },
  { rule: 'security.nosniff', profiles: both, description: 'no X-Content-Type-Options header' },
  { rule: 'security.frame-deny', profiles: both, description: 'X-Frame-Options SAMEORIGIN and no CSP frame-ancestors' },
  { rule: 'security.csp', profiles: both, description: "Content-Security-Policy allows script-src * 'unsafe-inline'" },
  { rule: 'security.xss-protection', profiles: ['platform'], description: 'X-XSS-Protection: 0' },
  { rule: 'security.headers-on-errors', profiles: both, description: 'error responses carry none of the security headers' },
  {
    rule: 'security.no-version-disclosure',
    profiles: both,
    description: 'Server and X-Powered-By name product versions (uvicorn/0.29.0, Python/3.12.2)',
  },
  {
    rule: 'security.no-store-authenticated',
    profiles: both,
    description: 'responses are Cache-Control: public, max-age=300, authenticated ones too',
  },
  { rule: 'security.trace-disabled', profiles: both, description: 'TRACE answers 200 and echoes the request (message/http)' },
  { rule: 'security.cookie-flags', profiles: both, description: 'the docs UI session cookie lacks HttpOnly, SameSite and Secure' },
  { rule: 'security.https-only', profiles: both, description: 'the plain-http front serves the API instead of redirecting to https' },
  { rule: 'cors.preflight-allowed', profiles: both, description: 'preflights allow only GET, POST and the Content-Type header' },
  { rule: 'cors.credentials', profiles: both, description: 'no Access-Control-Allow-Credentials (allow_credentials=False)' },
  { rule: 'cors.denied-origin', profiles: both, description: 'origins outside the allow-list get Access-Control-Allow-Origin: *' },
  {
    rule: 'cors.origin-bypass',
    profiles: both,
    description: "origins are also allowed by the platform guideline's own regex, which is unanchored at the end",
  },
  { rule: 'cors.vary-origin', profiles: both, description: 'echoed origins come without Vary: Origin' },
  { rule: 'cors.max-age', profiles: ['platform'], description: 'preflights carry no Access-Control-Max-Age' },
  {
    rule: 'cors.browser',
    profiles: both,
    description: 'CORS headers only once a credential is presented (middleware after auth): a browser page cannot read a 401',
  },
  { rule: 'docs.openapi', profiles: both, description: 'the OpenAPI document lacks `info`: it is not valid OpenAPI' },
  { rule: 'docs.descriptions', profiles: both, description: 'the list operation and the item `name` property have no description' },
  { rule: 'docs.examples', profiles: both, description: 'request bodies carry no example' },
  {
    rule: 'docs.response-schema',
    profiles: both,
    description: 'the document requires an item property (`title`) that responses never carry',
  },
  { rule: 'docs.error-statuses', profiles: both, description: 'reading an item does not document its 404' },
  { rule: 'uploads.too-large', profiles: both, description: 'files larger than the limit are accepted (201)' },
  { rule: 'uploads.content-type', profiles: both, description: 'files of any type are accepted (201)' },
  { rule: 'streaming.sse', profiles: ['platform'], description: 'message_end content lacks the last delta' },
  {
    rule: 'inputs.no-server-errors',
    profiles: both,
    description: 'a create or update with `priority` at its documented maximum (10) crashes the handler (500)',
  },
  { rule: 'inputs.invalid-rejected', profiles: both, description: '`visibility` accepts any string, not only its documented enum' },
  {
    rule: 'inputs.valid-accepted',
    profiles: both,
    description: 'the optional `visibility` is rejected as missing (422) whenever `priority` is given',
  },
];

export const faultName = (f: FaultSpec): string => f.name ?? f.rule;
export const FAULT_NAMES: ReadonlySet<string> = new Set(FAULTS.map(faultName));
