/**
 * Secrets never leave the process (SPEC §5). A Redactor knows every secret of a target and
 * every value derived from one (a JWT with its signature altered, base64 forms), and replaces
 * them wherever text goes out: headers, URLs, bodies, curl lines, messages.
 */
import type { Secret } from '../config/target.ts';

const MIN_SECRET_LENGTH = 4;

export class Redactor {
  private readonly replacements: { value: string; label: string }[] = [];

  constructor(secrets: readonly Secret[] = []) {
    for (const s of secrets) this.add(s.value, s.key);
  }

  /** Registers a secret (or a value derived from one) under a label shown in its place. */
  add(value: string, label: string): void {
    if (value.length < MIN_SECRET_LENGTH || this.replacements.some((r) => r.value === value)) return;
    this.replacements.push({ value, label });
    for (const variant of [encodeURIComponent(value), Buffer.from(value).toString('base64')]) {
      if (variant !== value && !this.replacements.some((r) => r.value === variant)) {
        this.replacements.push({ value: variant, label });
      }
    }
    // Longest first, so a secret containing another is replaced whole.
    this.replacements.sort((a, b) => b.value.length - a.value.length);
  }

  text(input: string): string {
    let out = input;
    for (const { value, label } of this.replacements) {
      if (out.includes(value)) out = out.split(value).join(`[REDACTED ${label}]`);
    }
    return out;
  }

  /** Cookie values are redacted whatever they hold: they are credentials by nature. */
  headers(headers: Record<string, string | readonly string[]>): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase();
      const redactOne = (v: string): string =>
        lower === 'cookie'
          ? v.replace(/=([^;]*)/g, '=[REDACTED cookie]')
          : lower === 'set-cookie'
            ? v.replace(/^([^=]+)=([^;]*)/, '$1=[REDACTED cookie]')
            : this.text(v);
      out[name] = typeof value === 'string' ? redactOne(value) : value.map(redactOne);
    }
    return out;
  }
}
