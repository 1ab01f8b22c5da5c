/**
 * Discovery as the harness runs it: for a target that declares no resources, the OpenAPI
 * document is fetched before probes are planned, resources (and uploads, streams) are derived
 * from it, and the rest of the run — planning, probes, applicability, checks — sees the
 * target-as-probed. The recording carries the report, so every worker rebuilds the same target.
 */
import type { DiscoveryReport, Target } from '../config/target.ts';
import { discover } from '../openapi/discover.ts';
import { documentOf } from '../openapi/document.ts';
import type { Exchange } from '../http/exchange.ts';

/** Whether a target's resources come from its document (declared resources always win). */
export function wantsDiscovery(target: Target): boolean {
  return target.resources.length === 0;
}

export function discoveryFrom(
  target: Target,
  source: { exchanges: readonly Exchange[]; outputs: Readonly<Record<string, unknown>> },
): DiscoveryReport {
  const found = documentOf(source);
  if (!('model' in found)) {
    return { source: target.openapi, problem: found.problem, resources: [], uploads: [], streams: [], bodies: {}, notProbed: [] };
  }
  return discover(found.model, target, target.openapi);
}

/**
 * The target the run probed: declared settings plus what discovery found. Declared uploads
 * and streams win over discovered ones. Without `discovery.mutate: true`, the harness writes
 * only to declared resources (SPEC §3), so a target whose resources were discovered is probed
 * read-only.
 */
export function targetAsProbed(target: Target, recording: { readonly discovery?: DiscoveryReport }): Target {
  const report = recording.discovery;
  if (!report || !wantsDiscovery(target)) return target;
  const found = report.resources.length > 0;
  return {
    ...target,
    resources: report.resources,
    uploads: target.uploads.length ? target.uploads : report.uploads,
    streams: target.streams.length ? target.streams : report.streams,
    ...(found && !target.discoveryMutate ? { mode: 'read-only' as const } : {}),
    discovery: report,
  };
}
