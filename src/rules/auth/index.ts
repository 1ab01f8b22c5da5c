import { apiKey } from './api-key.ts';
import { crossTenant } from './cross-tenant.ts';
import { expired401 } from './expired-401.ts';
import { forbidden403 } from './forbidden-403.ts';
import { invalid401 } from './invalid-401.ts';
import { missing401 } from './missing-401.ts';
import { publicHealth } from './public-health.ts';
import { queryTokenRejected } from './query-token-rejected.ts';
import { readOnlyFields } from './read-only-fields.ts';
import { wwwAuthenticate } from './www-authenticate.ts';
import type { RuleBehaviour } from '../types.ts';

export const AUTH_RULES: Record<string, RuleBehaviour> = {
  'auth.missing-401': missing401,
  'auth.invalid-401': invalid401,
  'auth.expired-401': expired401,
  'auth.www-authenticate': wwwAuthenticate,
  'auth.forbidden-403': forbidden403,
  'auth.api-key': apiKey,
  'auth.query-token-rejected': queryTokenRejected,
  'auth.cross-tenant': crossTenant,
  'auth.public-health': publicHealth,
  'auth.read-only-fields': readOnlyFields,
};
