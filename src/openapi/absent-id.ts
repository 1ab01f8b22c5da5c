/**
 * Ids made up to not exist follow the path parameter's declared schema (SPEC §8): integer → a
 * large integer within its bounds, `format: uuid` → a random UUID, a string with a pattern →
 * a value matching it, with minLength/maxLength → a value of a fitting length. A service that
 * validates its ids then answers 404 for a well-formed id it does not have, not 422. Pure.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { isObj } from './document.ts';

const LARGE = 999_999_999;

/** A value of `schema` that almost certainly names no item; undefined when the schema says too little. */
export function absentIdFor(schema: unknown): string | undefined {
  if (!isObj(schema)) return undefined;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'integer' || type === 'number') {
    const max =
      typeof schema.maximum === 'number'
        ? schema.maximum
        : typeof schema.exclusiveMaximum === 'number'
          ? schema.exclusiveMaximum - 1
          : undefined;
    const min = typeof schema.minimum === 'number' ? schema.minimum : 1;
    const value = max !== undefined && max < LARGE ? Math.floor(max) : LARGE;
    return String(Math.max(value, Math.ceil(min)));
  }
  if (type !== undefined && type !== 'string') return undefined;
  if (schema.format === 'uuid') return randomUUID();
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
  if (typeof schema.pattern === 'string') return matching(schema.pattern, min, max);
  if (typeof schema.format === 'string' && schema.format !== 'uuid') return undefined;
  if (min === 0 && max === undefined) return undefined;
  const value = `absent${randomBytes(8).toString('hex')}`;
  const fitted = value.length < min ? value.padEnd(min, '0') : value;
  return max !== undefined ? fitted.slice(0, Math.max(max, 1)) : fitted;
}

/** A string matching `pattern` (tried by generation, then by common id shapes), within the lengths. */
function matching(pattern: string, min: number, max: number | undefined): string | undefined {
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
  const fits = (v: string): boolean => re.test(v) && [...v].length >= min && (max === undefined || [...v].length <= max);
  const hex = randomBytes(16).toString('hex');
  const candidates = [
    generate(pattern),
    randomUUID(),
    String(LARGE),
    hex,
    `absent${hex.slice(0, 10)}`,
    `absent-${hex.slice(0, 10)}`,
    hex.slice(0, Math.max(min, 1)),
  ];
  return candidates.find((v): v is string => v !== undefined && fits(v));
}

/**
 * A value for the common subset of patterns ids use: literals, classes ([a-z0-9], \d, \w),
 * groups with alternatives (the first is taken) and quantifiers ({n}, {n,m}, +, *, ?).
 * Random where there is a choice, so that it names no real item.
 */
function generate(pattern: string): string | undefined {
  let i = 0;
  const src = pattern;
  const pick = (chars: string): string => chars[randomBytes(1)[0]! % chars.length]!;
  const DIGITS = '0123456789';
  const LOWER = 'abcdefghijklmnopqrstuvwxyz';
  const WORD = `${LOWER}${DIGITS}`;

  function atom(): (() => string) | undefined {
    const c = src[i]!;
    if (c === '(') {
      i++;
      if (src.startsWith('?:', i)) i += 2;
      const alt = sequence();
      // Skip the other alternatives: the first one is enough.
      let depth = 0;
      while (i < src.length && !(src[i] === ')' && depth === 0)) {
        if (src[i] === '\\') i++;
        else if (src[i] === '(') depth++;
        else if (src[i] === ')') depth--;
        i++;
      }
      i++;
      return alt;
    }
    if (c === '[') {
      const end = src.indexOf(']', i + 2);
      if (end < 0) return undefined;
      const body = src.slice(i + 1, end);
      i = end + 1;
      if (body.startsWith('^')) return () => pick(WORD.replace(new RegExp(`[${body.slice(1)}]`, 'g'), '') || 'z');
      let chars = '';
      for (let k = 0; k < body.length; k++) {
        if (body[k] === '\\') {
          const e = body[++k];
          chars += e === 'd' ? DIGITS : e === 'w' ? WORD : (e ?? '');
        } else if (body[k + 1] === '-' && k + 2 < body.length) {
          for (let code = body.charCodeAt(k); code <= body.charCodeAt(k + 2); code++) chars += String.fromCharCode(code);
          k += 2;
        } else chars += body[k];
      }
      return chars ? () => pick(chars) : undefined;
    }
    if (c === '\\') {
      const e = src[i + 1];
      i += 2;
      if (e === 'd') return () => pick(DIGITS);
      if (e === 'w') return () => pick(WORD);
      if (e === undefined || /[sSDWbB]/.test(e)) return undefined;
      return () => e;
    }
    if (c === '.') {
      i++;
      return () => pick(WORD);
    }
    if ('^$'.includes(c)) {
      i++;
      return () => '';
    }
    i++;
    return () => c;
  }

  function quantified(): (() => string) | undefined {
    const a = atom();
    if (!a) return undefined;
    let lo = 1;
    let hi = 1;
    const q = src[i];
    if (q === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      if (!m) return undefined;
      lo = Number(m[1]);
      hi = m[2] ? (m[3] ? Number(m[3]) : lo + 8) : lo;
      i += m[0].length;
    } else if (q === '+' || q === '*' || q === '?') {
      lo = q === '+' ? 1 : 0;
      hi = q === '?' ? 1 : lo + 8;
      i++;
    }
    const n = Math.max(lo, Math.min(hi, lo + 8));
    return () => Array.from({ length: n }, a).join('');
  }

  function sequence(): (() => string) | undefined {
    const parts: (() => string)[] = [];
    while (i < src.length && src[i] !== ')' && src[i] !== '|') {
      const p = quantified();
      if (!p) return undefined;
      parts.push(p);
    }
    return () => parts.map((p) => p()).join('');
  }

  const whole = sequence();
  return whole ? whole() : undefined;
}
