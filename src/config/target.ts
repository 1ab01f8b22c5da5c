import type { Profile, Severity } from '../spec/vocabulary.ts';
/** A target as the harness uses it: targets.yaml merged with defaults and profile presets. */

export type ErrorFormat = 'problem' | 'envelope';
export type PaginationStyle = 'cursor' | 'page';
export type SecretName = 'bearer' | 'api_key' | 'limited_bearer' | 'expired_bearer' | 'other_tenant_bearer';
/** The credentials sent as `Authorization: Bearer`: each may be fetched per run instead of written down. */
export type BearerName = Exclude<SecretName, 'api_key'>;

/** SPEC §3 `oauth2_client_credentials`, after interpolation: where a bearer credential is fetched per run. */
export interface OAuthClientCredentials {
  readonly token_url: string;
  readonly client_id: string;
  readonly client_secret: string;
  readonly audience?: string;
  readonly scope?: string;
  readonly auth_method?: 'client_secret_post' | 'client_secret_basic';
}

export interface Conventions {
  readonly error_format: ErrorFormat;
  readonly pagination: PaginationStyle;
}

export interface Resource {
  readonly name: string;
  readonly collection: string;
  readonly item: string;
  readonly create?: Record<string, unknown>;
  readonly invalid?: Record<string, unknown>;
  readonly update?: Record<string, unknown>;
  readonly requiresAuth: boolean;
  readonly seedItems: number;
  /** Derived from the OpenAPI document rather than declared. */
  readonly discovered?: boolean;
  /** The item path parameter's schema, as the document declares it (made-up ids follow it, SPEC §8). */
  readonly idSchema?: Readonly<Record<string, unknown>>;
}

export interface Upload {
  readonly path: string;
  readonly resource?: string;
  readonly field: string;
  readonly maxBytes: number;
  readonly allowedTypes: readonly string[];
}

export interface Stream {
  readonly path: string;
  readonly resource?: string;
}

/**
 * What the harness derived from the OpenAPI document of a target that declares no resources
 * (declared resources always win). Carried by the recording; the target-as-probed merges it.
 */
export interface DiscoveryReport {
  /** Path of the document the discovery read. */
  readonly source: string;
  /** Set when no document could be read: why. */
  readonly problem?: string;
  readonly resources: readonly Resource[];
  readonly uploads: readonly Upload[];
  readonly streams: readonly Stream[];
  /** Where each discovered resource's bodies came from, by resource name. */
  readonly bodies: Readonly<Record<string, { readonly create?: string; readonly update?: string }>>;
  /** Documented operations the harness does not probe, and why. */
  readonly notProbed: readonly { readonly operation: string; readonly reason: string }[];
}

/** A secret value and the environment variable it came from (for curl lines). */
export interface Secret {
  readonly value: string;
  readonly envVar?: string;
  /** Where it lives: auth.<name> or headers.<Name>. */
  readonly key: string;
}

export interface RateBudget {
  readonly limit: number;
  readonly windowS: number;
}

export interface Target {
  readonly name: string;
  readonly baseUrl: string;
  readonly origin: string;
  /** Path of base_url without trailing slash ("" for the root). */
  readonly basePath: string;
  readonly profile: Profile;
  readonly conventions: Conventions;
  readonly mode: 'read-only' | 'mutating';
  readonly timeoutMs: number;
  readonly tlsVerify: boolean;
  readonly httpUrl?: string;
  readonly caFile?: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Credentials written in the file (or its environment). */
  readonly auth: Readonly<Partial<Record<SecretName, string>>>;
  /** Bearer credentials fetched per run with client credentials; the token itself is asked of the client. */
  readonly oauth: Readonly<Partial<Record<BearerName, OAuthClientCredentials>>>;
  readonly secrets: readonly Secret[];
  readonly health: string;
  readonly ready: string;
  readonly openapi: string;
  /**
   * Where discovery and the schema rules read the document instead of the served one
   * (SPEC §3 `openapi_source`): an absolute file path, or an absolute http(s) URL.
   */
  readonly openapiSource?: string;
  readonly docsUi: string;
  readonly cors: {
    readonly allowedOrigins: readonly string[];
    readonly deniedOrigins: readonly string[];
    readonly allowCredentials: boolean;
  };
  readonly rateLimit: RateBudget & {
    readonly declared: boolean;
    readonly burst: boolean;
    readonly anonymous: RateBudget;
    readonly maxWaitS: number;
    /** Where one budget applies: the whole origin (default) or each base URL (per-service gateways). */
    readonly scope: 'origin' | 'base_url';
  };
  readonly deprecatedPrefixes: readonly string[];
  readonly resources: readonly Resource[];
  readonly uploads: readonly Upload[];
  readonly streams: readonly Stream[];
  readonly pageCap: number;
  /** Generated requests (rules inputs.*, SPEC §3): cases per operation, most requests, seed. */
  readonly inputs: { readonly examples: number; readonly maxRequests: number; readonly seed: number };
  readonly discoveryMutate: boolean;
  readonly rules: {
    readonly skip: readonly string[];
    readonly severity: Readonly<Record<string, Severity>>;
  };
  /** Only on the target-as-probed: what discovery derived from the OpenAPI document. */
  readonly discovery?: DiscoveryReport;
  /** Where the target was declared, for messages. */
  readonly source: { readonly file: string; readonly line: number; readonly column: number };
}

/** SPEC §4: what each profile presumes unless `conventions` says otherwise. */
export const PROFILE_PRESETS: Record<
  Profile,
  Conventions & {
    readonly rateLimit: { limit: number; windowS: number; anonymous: RateBudget };
  }
> = {
  platform: {
    error_format: 'problem',
    pagination: 'cursor',
    rateLimit: { limit: 600, windowS: 60, anonymous: { limit: 60, windowS: 3600 } },
  },
  backend: {
    error_format: 'envelope',
    pagination: 'page',
    rateLimit: { limit: 600, windowS: 60, anonymous: { limit: 60, windowS: 3600 } },
  },
};

/** Whether the target has this credential at all, written down or fetched per run. */
export function hasCredential(target: Pick<Target, 'auth' | 'oauth'>, name: SecretName): boolean {
  return Boolean(target.auth[name] || (name !== 'api_key' && target.oauth?.[name]));
}
