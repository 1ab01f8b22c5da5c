import { browser } from './browser.ts';
import { credentials } from './credentials.ts';
import { deniedOrigin } from './denied-origin.ts';
import { maxAge } from './max-age.ts';
import { originBypass } from './origin-bypass.ts';
import { preflightAllowed } from './preflight-allowed.ts';
import { varyOrigin } from './vary-origin.ts';
import type { RuleBehaviour } from '../types.ts';

export const CORS_RULES: Record<string, RuleBehaviour> = {
  'cors.preflight-allowed': preflightAllowed,
  'cors.credentials': credentials,
  'cors.denied-origin': deniedOrigin,
  'cors.origin-bypass': originBypass,
  'cors.vary-origin': varyOrigin,
  'cors.max-age': maxAge,
  'cors.browser': browser,
};
