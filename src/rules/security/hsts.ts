import { headerRule } from './header-rule.ts';
import { tlsNote } from './headers.ts';
import { defineRule } from '../define.ts';

/** SPEC §6 security.hsts (https targets): Strict-Transport-Security max-age ≥ 31536000 with includeSubDomains. */
export const securityHsts = defineRule('security.hsts', headerRule('hsts', { note: tlsNote }));
