import { deprecationHeader } from './deprecation-header.ts';
import { prefix } from './prefix.ts';
import { unknownVersion } from './unknown-version.ts';
import type { RuleBehaviour } from '../types.ts';

export const VERSIONING_RULES: Record<string, RuleBehaviour> = {
  'versioning.prefix': prefix,
  'versioning.deprecation-header': deprecationHeader,
  'versioning.unknown-version': unknownVersion,
};
