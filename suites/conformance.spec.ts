/**
 * The one test file: each area declares its rules in its own module (suites/<area>.ts), imported
 * here. Playwright shards by test file and project, so one file makes all the rules of a target one
 * group: under --shard a target is probed by exactly one shard, once — its load stays within the
 * declared budget and its 429 burst still comes after every other rule of its credential (SPEC §7).
 */
import './status.ts';
import './errors.ts';
import './auth.ts';
import './pagination.ts';
import './ratelimit.ts';
import './security.ts';
import './cors.ts';
import './versioning.ts';
import './format.ts';
import './observability.ts';
import './docs.ts';
import './uploads.ts';
import './streaming.ts';
import './methods.ts';
import './inputs.ts';
