/** Raw target values → Target: profile presets, defaults, secrets and where they came from. */
import { resolve } from 'node:path';
import type { RawTarget } from './raw.ts';
import {
  type BearerName,
  type OAuthClientCredentials,
  PROFILE_PRESETS,
  type Resource,
  type Secret,
  type SecretName,
  type Target,
} from './target.ts';

const SECRET_NAMES: readonly SecretName[] = ['bearer', 'api_key', 'limited_bearer', 'expired_bearer', 'other_tenant_bearer'];

/** `envVars`: path in the file (e.g. `targets.x.auth.bearer`) → the environment variable interpolated there. */
export function toTarget(name: string, t: RawTarget, envVars: Map<string, string>, source: Target['source'], baseDir: string): Target {
  const profile = t.profile!;
  const preset = PROFILE_PRESETS[profile];
  const url = new URL(t.base_url!);
  const basePath = url.pathname.replace(/\/+$/, '');
  const auth: Partial<Record<SecretName, string>> = {};
  const secrets: Secret[] = [];
  const envOf = (key: string): string | undefined => envVars.get(`targets.${name}.${key}`) ?? envVars.get(`defaults.${key}`);
  const oauth: Partial<Record<BearerName, OAuthClientCredentials>> = {};
  for (const secretName of SECRET_NAMES) {
    const value = t.auth?.[secretName];
    if (typeof value === 'object' && secretName !== 'api_key') {
      const cc = value.oauth2_client_credentials;
      // Any of the three left empty by `${VAR:-}` → the credential is absent, its rules skipped (SPEC §3).
      if (!cc.token_url || !cc.client_id || !cc.client_secret) continue;
      oauth[secretName] = Object.fromEntries(Object.entries(cc).filter(([, v]) => v !== '')) as unknown as OAuthClientCredentials;
      const envVar = envOf(`auth.${secretName}.oauth2_client_credentials.client_secret`);
      secrets.push({ value: cc.client_secret, key: `auth.${secretName}.client_secret`, ...(envVar ? { envVar } : {}) });
      continue;
    }
    if (value === undefined || value === '' || typeof value === 'object') continue; // `${VAR:-}` → absent (SPEC §3)
    auth[secretName] = value;
    const envVar = envOf(`auth.${secretName}`);
    secrets.push({ value, key: `auth.${secretName}`, ...(envVar ? { envVar } : {}) });
  }
  const headers: Record<string, string> = {};
  for (const [h, value] of Object.entries(t.headers ?? {})) {
    if (value === '') continue;
    headers[h] = value;
    const envVar = envOf(`headers.${h}`);
    // Interpolated header values are treated as secrets; literal ones are configuration.
    if (envVar) secrets.push({ value, key: `headers.${h}`, envVar });
  }
  const rl = t.rate_limit ?? {};
  const resources: Resource[] = (t.resources ?? []).map((r) => ({
    name: r.name,
    collection: r.collection,
    item: r.item,
    ...(r.create ? { create: r.create } : {}),
    ...(r.invalid ? { invalid: r.invalid } : {}),
    ...(r.update ? { update: r.update } : {}),
    requiresAuth: r.requires_auth ?? true,
    seedItems: r.seed_items ?? 3 * ((t.conventions?.pagination ?? preset.pagination) === 'cursor' ? 50 : 20) + 1,
  }));
  return {
    name,
    baseUrl: `${url.origin}${basePath}`,
    origin: url.origin,
    basePath,
    profile,
    conventions: {
      error_format: t.conventions?.error_format ?? preset.error_format,
      pagination: t.conventions?.pagination ?? preset.pagination,
    },
    mode: t.mode ?? 'read-only',
    timeoutMs: t.timeout_ms ?? 5000,
    tlsVerify: t.tls_verify ?? true,
    ...(t.http_url ? { httpUrl: t.http_url.replace(/\/+$/, '') } : {}),
    ...(t.ca_file ? { caFile: resolve(baseDir, t.ca_file) } : {}),
    headers,
    auth,
    oauth,
    secrets,
    health: t.health ?? '/health',
    ready: t.ready ?? '/ready',
    openapi: t.openapi ?? '/openapi.json',
    ...(t.openapi_source
      ? { openapiSource: /^https?:\/\//i.test(t.openapi_source) ? t.openapi_source : resolve(baseDir, t.openapi_source) }
      : {}),
    docsUi: t.docs_ui ?? '/docs',
    cors: {
      allowedOrigins: t.cors?.allowed_origins ?? [],
      deniedOrigins: t.cors?.denied_origins ?? [],
      allowCredentials: t.cors?.allow_credentials ?? false,
    },
    rateLimit: {
      declared: rl.limit !== undefined,
      limit: rl.limit ?? preset.rateLimit.limit,
      windowS: rl.window_s ?? preset.rateLimit.windowS,
      burst: rl.burst ?? false,
      anonymous: rl.anonymous ? { limit: rl.anonymous.limit, windowS: rl.anonymous.window_s } : preset.rateLimit.anonymous,
      maxWaitS: rl.max_wait_s ?? 30,
      scope: rl.scope ?? 'origin',
    },
    deprecatedPrefixes: t.deprecated_prefixes ?? [],
    resources,
    uploads: (t.uploads ?? []).map((u) => ({
      path: u.path,
      field: u.field ?? 'file',
      maxBytes: u.max_bytes,
      allowedTypes: u.allowed_types ?? (profile === 'backend' ? ['application/json'] : []),
      ...(u.resource ? { resource: u.resource } : {}),
    })),
    streams: (t.streams ?? []).map((s) => ({ path: s.path, ...(s.resource ? { resource: s.resource } : {}) })),
    pageCap: t.pagination?.page_cap ?? 50,
    inputs: {
      examples: t.inputs?.examples ?? 25,
      maxRequests: t.inputs?.max_requests ?? 300,
      seed: t.inputs?.seed ?? 1,
    },
    discoveryMutate: t.discovery?.mutate ?? false,
    rules: { skip: t.rules?.skip ?? [], severity: t.rules?.severity ?? {} },
    source,
  };
}
