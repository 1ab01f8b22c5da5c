/**
 * Settings the harness reads from its own environment rather than from targets.yaml:
 * where the machine keeps the tools some rules need.
 */

/** Debian's Chromium (apt-get install -y chromium); `npx playwright install` cannot reach its CDN here. */
export const CHROMIUM_PATH = process.env.CONFORMANCE_CHROMIUM ?? '/usr/bin/chromium';
