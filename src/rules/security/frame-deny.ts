import { headerRule } from './header-rule.ts';
import { defineRule } from '../define.ts';

/** SPEC §6 security.frame-deny: X-Frame-Options: DENY, or CSP frame-ancestors 'none'. */
export const securityFrameDeny = defineRule('security.frame-deny', headerRule('frame'));
