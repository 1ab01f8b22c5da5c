/**
 * Faults of the reference API that change how a single item looks or behaves, kept apart
 * from resources.ts so that file stays readable: each one breaks exactly one format.*,
 * methods.* or auth.* rule (see faults.ts).
 */
import type { Ctx } from './context.ts';
import type { Item } from './store.ts';

/** The representation as a faulty service would show it. */
export function withRepresentationFaults(ctx: Ctx, item: Item, rep: Record<string, unknown>): Record<string, unknown> {
  const f = ctx.faults;
  const out = { ...rep };
  if (f.has('format.timestamps')) {
    // Naive datetimes (Python's datetime.utcnow().isoformat()): no offset.
    for (const k of ['created_at', 'updated_at']) if (typeof out[k] === 'string') out[k] = (out[k] as string).replace(/Z$/, '');
  }
  if (f.has('format.snake-case')) out.displayName = item.fields.name;
  if (f.has('format.boolean-prefix') && 'is_archived' in out) {
    out.archived = out.is_archived;
    delete out.is_archived;
  }
  if (f.has('format.uuid-ids')) out.organization = { id: item.org_id };
  if (f.has('methods.put-idempotent')) out.revision = item.revision ?? 0;
  return out;
}

/** auth.read-only-fields fault: timestamps sent by the client are stored (mass assignment). */
export function massAssign(ctx: Ctx, item: Item, body: Record<string, unknown>): void {
  if (!ctx.faults.has('auth.read-only-fields')) return;
  for (const k of ['created_at', 'updated_at'] as const) {
    if (typeof body[k] === 'string') item[k] = body[k] as string;
  }
}
