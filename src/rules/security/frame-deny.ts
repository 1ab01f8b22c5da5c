import { headerRule } from './header-rule.ts';

/** SPEC §6 security.frame-deny: X-Frame-Options: DENY, or CSP frame-ancestors 'none'. */
export const frameDeny = headerRule('frame');
