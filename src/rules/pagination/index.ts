import type { RuleBehaviour } from '../types.ts';
import { cursorOpaque } from './cursor-opaque.ts';
import { defaultLimit } from './default-limit.ts';
import { envelope } from './envelope.ts';
import { invalidCursor } from './invalid-cursor.ts';
import { limitBounds } from './limit-bounds.ts';
import { pageBounds } from './page-bounds.ts';
import { stableUnderWrites } from './stable-under-writes.ts';
import { terminalPage } from './terminal-page.ts';
import { totalConsistent } from './total-consistent.ts';
import { walkComplete } from './walk-complete.ts';

export const PAGINATION_RULES: Record<string, RuleBehaviour> = {
  'pagination.envelope': envelope,
  'pagination.default-limit': defaultLimit,
  'pagination.limit-bounds': limitBounds,
  'pagination.walk-complete': walkComplete,
  'pagination.terminal-page': terminalPage,
  'pagination.invalid-cursor': invalidCursor,
  'pagination.cursor-opaque': cursorOpaque,
  'pagination.page-bounds': pageBounds,
  'pagination.total-consistent': totalConsistent,
  'pagination.stable-under-writes': stableUnderWrites,
};
