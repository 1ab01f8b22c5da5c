import { headerRule } from './header-rule.ts';

/** SPEC §6 security.nosniff: X-Content-Type-Options: nosniff. */
export const nosniff = headerRule('nosniff');
