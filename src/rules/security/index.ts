import { cookieFlags } from './cookie-flags.ts';
import { csp } from './csp.ts';
import { frameDeny } from './frame-deny.ts';
import { headersOnErrors } from './headers-on-errors.ts';
import { hsts } from './hsts.ts';
import { httpsOnly } from './https-only.ts';
import { noStoreAuthenticated } from './no-store-authenticated.ts';
import { noVersionDisclosure } from './no-version-disclosure.ts';
import { nosniff } from './nosniff.ts';
import { traceDisabled } from './trace-disabled.ts';
import { xssProtection } from './xss-protection.ts';
import type { RuleBehaviour } from '../types.ts';

export const SECURITY_RULES: Record<string, RuleBehaviour> = {
  'security.hsts': hsts,
  'security.nosniff': nosniff,
  'security.frame-deny': frameDeny,
  'security.csp': csp,
  'security.xss-protection': xssProtection,
  'security.headers-on-errors': headersOnErrors,
  'security.no-version-disclosure': noVersionDisclosure,
  'security.no-store-authenticated': noStoreAuthenticated,
  'security.trace-disabled': traceDisabled,
  'security.cookie-flags': cookieFlags,
  'security.https-only': httpsOnly,
};
