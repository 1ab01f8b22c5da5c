import { headerRule } from './header-rule.ts';
import { defineRule } from '../define.ts';

/** SPEC §6 security.nosniff: X-Content-Type-Options: nosniff. */
export const securityNosniff = defineRule('security.nosniff', headerRule('nosniff'));
