/**
 * A YAML file parsed with its node ranges kept, so that every problem found in it (targets.yaml,
 * waivers.yaml) can name file:line:column: the key that is wrong, or the nearest node that exists.
 */
import { LineCounter, isMap, isScalar, parseDocument, type Document, type Node } from 'yaml';

export type YamlPath = readonly (string | number)[];

export interface YamlSource {
  readonly doc: Document;
  /** 1-based line and column of a character offset (0 when unknown: the file's start). */
  at(offset: number | undefined): { line: number; column: number };
}

/** Parses without throwing: syntax errors and duplicate keys are in `doc.errors`. */
export function parseYamlSource(text: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  return {
    doc,
    at(offset) {
      const pos = lines.linePos(offset ?? 0);
      return { line: pos.line, column: pos.col };
    },
  };
}

/** The offset of `key` itself (not its value) in the map at `parent`. */
export function keyOffset(doc: Document, parent: YamlPath, key: string): number | undefined {
  const map = parent.length ? doc.getIn(parent as (string | number)[], true) : doc.contents;
  if (!isMap(map)) return undefined;
  for (const pair of map.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return pair.key.range?.[0];
  }
  return undefined;
}

/** The offset of the node at `path`, or of its closest ancestor that exists. */
export function nodeOffset(doc: Document, path: YamlPath): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = (n ? doc.getIn(path.slice(0, n) as (string | number)[], true) : doc.contents) as Node | undefined | null;
    if (node?.range) return node.range[0];
  }
  return 0;
}
