/** Small presentation helpers shared by the terminal and Markdown views (gate, diff). */

export interface Style {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly magenta: (s: string) => string;
}

const wrap =
  (open: number, close: number) =>
  (s: string): string =>
    `\u001b[${open}m${s}\u001b[${close}m`;

export const COLOUR: Style = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  magenta: wrap(35, 39),
};
const id = (s: string): string => s;
export const PLAIN: Style = { bold: id, dim: id, red: id, green: id, yellow: id, magenta: id };

/** Colour when writing to a terminal, honouring NO_COLOR and FORCE_COLOR. */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return COLOUR;
  if (env.NO_COLOR !== undefined || env.TERM === 'dumb') return PLAIN;
  return stream.isTTY ? COLOUR : PLAIN;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[\d+m/g;
export const visibleLength = (s: string): number => s.replace(ANSI, '').length;

/** A plain aligned table; numbers (and cells starting with a digit) are right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], style: Style = PLAIN): string {
  const widths = header.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^\d/.test((r[i] ?? '').replace(ANSI, ''))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => {
        const pad = ' '.repeat(widths[i]! - visibleLength(c));
        return numeric[i] ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
  return [style.bold(line(header)), ...rows.map(line)].join('\n');
}

export function truncate(s: string, max: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

/** Escapes a value for a Markdown table cell. */
export function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}

export function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** An error rule's message, said once as "could not judge/check …". */
export function couldNotJudge(message: string): string {
  return /^could not (judge|check)\b/i.test(message) ? message : `could not judge: ${message}`;
}
