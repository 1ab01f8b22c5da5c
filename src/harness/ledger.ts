/**
 * What the harness created and has not deleted yet, kept on disk as it happens, so that items
 * survive neither a failed probe nor an interrupted run (SPEC §7): the recording deletes them
 * at its end; if the worker dies first, the global teardown deletes what the file still lists.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Resource, Target } from '../config/target.ts';
import type { ProbeClient } from '../http/client.ts';
import { itemPath } from '../probes/support.ts';
import { credentialFor } from '../probes/resources.ts';

interface LedgerLine {
  readonly op: 'created' | 'deleted';
  readonly resource: string;
  readonly id: string;
  /** For a resource discovered from the OpenAPI document (targets.yaml does not know it). */
  readonly item?: string;
  readonly requiresAuth?: boolean;
}

export class Ledger {
  private readonly open = new Map<string, { resource: Resource; id: string }>();

  constructor(private readonly file?: string) {
    if (file) mkdirSync(join(file, '..'), { recursive: true });
  }

  created(resource: Resource, id: string): void {
    this.open.set(`${resource.name}/${id}`, { resource, id });
    this.write({
      op: 'created',
      resource: resource.name,
      id,
      ...(resource.discovered ? { item: resource.item, requiresAuth: resource.requiresAuth } : {}),
    });
  }

  deleted(resource: Resource, id: string): void {
    this.open.delete(`${resource.name}/${id}`);
    this.write({ op: 'deleted', resource: resource.name, id });
  }

  items(): { resource: Resource; id: string }[] {
    return [...this.open.values()];
  }

  /** Deletes every open item; returns the URLs of those that could not be deleted. */
  async cleanUp(client: ProbeClient): Promise<string[]> {
    const leftovers: string[] = [];
    for (const { resource, id } of this.items()) {
      const del = await client
        .send({
          probe: 'cleanup',
          purpose: `delete ${resource.name} ${id} created by the harness`,
          method: 'DELETE',
          path: itemPath(resource, id),
          credential: credentialFor(client.target, resource),
          scope: 'other',
        })
        .catch(() => undefined);
      const status = del?.response?.status ?? 0;
      if ((status >= 200 && status < 300) || status === 404) this.deleted(resource, id);
      else leftovers.push(`${client.target.baseUrl}${itemPath(resource, id)}`);
    }
    return leftovers;
  }

  /** The run ended cleanly for this target: nothing is left for the teardown. */
  close(): void {
    if (this.file) rmSync(this.file, { force: true });
  }

  private write(line: LedgerLine): void {
    if (this.file) appendFileSync(this.file, `${JSON.stringify(line)}\n`);
  }

  /** A ledger left behind by a worker that died, with its open items. */
  static load(file: string, target: Target): Ledger {
    const ledger = new Ledger(file);
    const known = new Map<string, Resource>();
    for (const text of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
      const line = JSON.parse(text) as LedgerLine;
      const resource =
        target.resources.find((r) => r.name === line.resource) ??
        known.get(line.resource) ??
        (line.item
          ? {
              name: line.resource,
              collection: '',
              item: line.item,
              requiresAuth: line.requiresAuth ?? true,
              seedItems: 0,
              discovered: true,
            }
          : undefined);
      if (!resource) continue;
      known.set(resource.name, resource);
      if (line.op === 'created') ledger.open.set(`${resource.name}/${line.id}`, { resource, id: line.id });
      else ledger.open.delete(`${resource.name}/${line.id}`);
    }
    return ledger;
  }
}

export function ledgerDir(workDir: string): string {
  return join(workDir, 'ledgers');
}

export function ledgerFile(workDir: string, target: string): string {
  return join(ledgerDir(workDir), `${target.replace(/[^\w.-]/g, '_')}.jsonl`);
}

export function leftoverLedgers(workDir: string): string[] {
  const dir = ledgerDir(workDir);
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.jsonl'))
        .map((f) => join(dir, f))
    : [];
}
