import { headerRule } from './header-rule.ts';
import { defineRule } from '../define.ts';

/** SPEC §6 security.xss-protection: X-XSS-Protection: 1; mode=block (platform). */
export const securityXssProtection = defineRule('security.xss-protection', headerRule('xss'));
