import { headerRule } from './header-rule.ts';

/** SPEC §6 security.xss-protection: X-XSS-Protection: 1; mode=block (platform). */
export const xssProtection = headerRule('xss');
