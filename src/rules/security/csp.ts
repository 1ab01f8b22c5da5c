import { headerRule } from './header-rule.ts';

/** SPEC §6 security.csp: CSP with default-src 'self' or stricter on API responses; no *, 'unsafe-inline', 'unsafe-eval' (the docs UI is not judged). */
export const csp = headerRule('csp');
