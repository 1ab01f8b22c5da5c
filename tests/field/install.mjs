#!/usr/bin/env node
// Installs the field services (json-server, Prism, GitHub's OpenAPI description) into
// tests/field/node_modules, apart from the harness's own `npm ci`. Runs `npm ci --prefix
// tests/field` only when node_modules is missing or was installed from another lockfile:
// the sha256 of package-lock.json is kept in node_modules/.installed, so a CI cache of
// tests/field/node_modules keyed on that file is reused as is.
//
//   node tests/field/install.mjs            install if needed, print what happened
//   node tests/field/install.mjs --check    exit 0 when installed and current, 1 otherwise
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, readdirSync, lstatSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIELD_DIR = dirname(fileURLToPath(import.meta.url));
const LOCK = join(FIELD_DIR, 'package-lock.json');
const MODULES = join(FIELD_DIR, 'node_modules');
const STAMP = join(MODULES, '.installed');

export function lockHash() {
  return createHash('sha256').update(readFileSync(LOCK)).digest('hex');
}

/** true when node_modules exists and was installed from the current lockfile */
export function isInstalled() {
  if (!existsSync(STAMP)) return false;
  try {
    return readFileSync(STAMP, 'utf8').trim() === lockHash();
  } catch {
    return false;
  }
}

function du(path) {
  let total = 0;
  const stack = [path];
  while (stack.length) {
    const p = stack.pop();
    let st;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) for (const e of readdirSync(p)) stack.push(join(p, e));
    else total += st.blocks ? st.blocks * 512 : st.size;
  }
  return total;
}

/** Installs when needed. Returns { installed: boolean (work was done), ms, bytes? } */
export function ensureInstalled({ quiet = false } = {}) {
  if (isInstalled()) return { installed: false, ms: 0 };
  const t0 = performance.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--prefix', FIELD_DIR, '--no-audit', '--no-fund', '--loglevel=error'], {
    stdio: quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    throw new Error(`npm ci --prefix ${FIELD_DIR} failed (exit ${r.status})${quiet ? `\n${r.stderr}` : ''}`);
  }
  writeFileSync(STAMP, lockHash() + '\n');
  return { installed: true, ms: Math.round(performance.now() - t0) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--check')) process.exit(isInstalled() ? 0 : 1);
  const r = ensureInstalled();
  if (r.installed) {
    const mb = (du(MODULES) / 1e6).toFixed(0);
    console.log(`field services installed in ${(r.ms / 1000).toFixed(1)} s, ${mb} MB on disk (${MODULES})`);
  } else {
    console.log(`field services up to date (${MODULES}, lockfile ${lockHash().slice(0, 12)})`);
  }
}
