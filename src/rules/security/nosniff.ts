import { headerRule } from './header-rule.ts';
import { defineRule } from '../define.ts';

/**
 * SPEC §6 security.nosniff: X-Content-Type-Options: nosniff. The header tells a browser not to
 * guess the type of a body, so it is judged on responses that carry one: a body-less 204 (a CORS
 * preflight) has nothing to sniff (issue 13's field review: json-server failed on its preflight alone).
 */
export const securityNosniff = defineRule('security.nosniff', headerRule('nosniff', { bodiesOnly: true }));
