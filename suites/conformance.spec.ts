/**
 * The one test file, with one test per target (project): every selected rule of the target is a
 * step of it (src/runner/suite.ts). Playwright shards by test file and project, so a target is
 * one group: under --shard a target is probed by exactly one shard, once — its load stays within
 * the declared budget and its 429 burst still comes after every other rule of its credential (SPEC §7).
 */
import { defineConformanceTest } from '../src/runner/suite.ts';

defineConformanceTest();
