/**
 * `openapi_source` (SPEC §3): the document discovery and the schema rules read when the
 * service does not serve it (or serves another one): a file next to targets.yaml, read by the
 * `openapi:document` probe and carried in its output, or an absolute URL, fetched by the same
 * probe without the target's credentials or headers. `docs.openapi` keeps judging what the
 * service serves at `openapi`. Pure (the probe reads the file).
 */
import { parse as parseYaml } from 'yaml';
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the probe recorded about the declared source. */
export interface SourceOutput {
  /** openapi_source as the target holds it: an absolute file path or URL. */
  readonly location: string;
  /** The exchange that fetched a URL source. */
  readonly exchange?: number;
  /** The text of a file source. */
  readonly text?: string;
  /** Why a file source could not be read. */
  readonly problem?: string;
}

export const isUrlSource = (location: string): boolean => /^https?:\/\//i.test(location);

const MAX_YAML = 8 * 1024 * 1024;

/** A document's text as JSON, else YAML (aliases bounded as in targets.yaml). */
export function parseDocumentText(text: string): { doc: Obj } | { problem: string } {
  const trimmed = text.trimStart();
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    if (/^[{[]/.test(trimmed)) return { problem: 'is not valid JSON' };
    if (trimmed.length > MAX_YAML) return { problem: `is not JSON, and at ${trimmed.length} bytes too large to read as YAML` };
    try {
      value = parseYaml(text, { maxAliasCount: 100 });
    } catch (err) {
      return { problem: `is neither JSON nor YAML: ${(err as Error).message.split('\n')[0]}` };
    }
  }
  return isObj(value) ? { doc: value } : { problem: 'is not a JSON or YAML object' };
}
