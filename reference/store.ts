/** In-memory items per organisation, ordered by creation (keyset: seq). */
import { randomUUID } from 'node:crypto';

export interface Item {
  id: string;
  seq: number;
  org_id: string;
  fields: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  /** Number of updates (shown only by the methods.put-idempotent fault). */
  revision?: number;
}

export class Store {
  private readonly byOrg = new Map<string, Map<string, Item>>();
  private seq = 0;
  private readonly gone = new Set<string>();

  private items(org: string): Map<string, Item> {
    let items = this.byOrg.get(org);
    if (!items) this.byOrg.set(org, (items = new Map()));
    return items;
  }

  create(org: string, fields: Record<string, unknown>): Item {
    const now = new Date().toISOString();
    const item: Item = { id: randomUUID(), seq: ++this.seq, org_id: org, fields, created_at: now, updated_at: now };
    this.items(org).set(item.id, item);
    return item;
  }

  get(org: string, id: string): Item | undefined {
    return this.items(org).get(id);
  }

  update(org: string, id: string, fields: Record<string, unknown>): Item | undefined {
    const item = this.get(org, id);
    if (!item) return undefined;
    item.fields = fields;
    item.updated_at = new Date().toISOString();
    item.revision = (item.revision ?? 0) + 1;
    return item;
  }

  /** An item of any organisation (only the auth.cross-tenant fault looks items up this way). */
  findAnywhere(id: string): Item | undefined {
    for (const items of this.byOrg.values()) {
      const item = items.get(id);
      if (item) return item;
    }
    return undefined;
  }

  delete(org: string, id: string): boolean {
    const deleted = this.items(org).delete(id);
    if (deleted) this.gone.add(`${org}/${id}`);
    return deleted;
  }

  /** Whether the item existed once and was deleted (tombstone). */
  wasDeleted(org: string, id: string): boolean {
    return this.gone.has(`${org}/${id}`);
  }

  /** Items in creation order, optionally only those after `afterSeq`. */
  list(org: string, afterSeq = 0): Item[] {
    return [...this.items(org).values()].filter((i) => i.seq > afterSeq);
  }

  count(org: string): number {
    return this.items(org).size;
  }
}
