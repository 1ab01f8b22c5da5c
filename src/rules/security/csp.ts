import { headerRule } from './header-rule.ts';
import { defineRule } from '../define.ts';

/** SPEC §6 security.csp: CSP with default-src 'self' or stricter on API responses; no *, 'unsafe-inline', 'unsafe-eval' (the docs UI is not judged). */
export const securityCsp = defineRule('security.csp', headerRule('csp'));
