/**
 * A curl line that reproduces an exchange. Secrets appear as shell variables named after the
 * environment variable they came from (or CONFORMANCE_<NAME>), so the line can be pasted
 * after an `export` and never carries the secret itself.
 */
export interface CurlInput {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** curl -F arguments (multipart form parts), unquoted. */
  readonly form?: readonly string[];
  /** Secret value → shell variable name. */
  readonly secrets: ReadonlyMap<string, string>;
  readonly insecure?: boolean;
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Secret values worth looking for, longest first (a secret containing another is replaced whole). */
function orderedSecrets(secrets: ReadonlyMap<string, string>): [secret: string, variable: string][] {
  return [...secrets].filter(([k]) => k.length >= 4).sort(([a], [b]) => b.length - a.length);
}

/** Quotes `s` for a POSIX shell, leaving each secret as a "$VAR" expansion. */
function quoteWithSecrets(s: string, ordered: readonly (readonly [string, string])[]): string {
  let parts: { text: string; variable?: string }[] = [{ text: s }];
  for (const [secret, variable] of ordered) {
    parts = parts.flatMap((p) => {
      if (p.variable !== undefined || !p.text.includes(secret)) return [p];
      const pieces = p.text.split(secret);
      return pieces.flatMap((text, i) => (i === 0 ? [{ text }] : [{ text: '', variable }, { text }]));
    });
  }
  return (
    parts
      .filter((p) => p.variable !== undefined || p.text !== '')
      .map((p) => (p.variable !== undefined ? `"$${p.variable}"` : quote(p.text)))
      .join('') || "''"
  );
}

export function curlLine(input: CurlInput): string {
  const secrets = orderedSecrets(input.secrets);
  const args = ['curl', '-i'];
  if (input.insecure) args.push('-k');
  if (input.method === 'HEAD') args.push('-I');
  else if (input.method !== 'GET' || input.body !== undefined) args.push('-X', input.method);
  for (const [name, value] of Object.entries(input.headers)) {
    args.push('-H', quoteWithSecrets(`${name}: ${value}`, secrets));
  }
  if (input.body !== undefined) args.push('--data-binary', quoteWithSecrets(input.body, secrets));
  for (const part of input.form ?? []) args.push('-F', quote(part));
  args.push(quoteWithSecrets(input.url, secrets));
  return args.join(' ');
}
