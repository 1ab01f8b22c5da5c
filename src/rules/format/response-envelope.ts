import type { Resource } from '../../config/target.ts';
import type { Exchange } from '../../http/exchange.ts';
import { describeSchemaError } from '../../spec/schemas.ts';
import { apiExchanges, failed, jsonBody, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { resourcesCreateProbe, resourcesReadProbe, resourcesUpdateProbe } from '../../probes/resources.ts';

function itemPattern(r: Resource): RegExp {
  const parts = r.item.split('{id}').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^/]+')}$`);
}

/** Single-resource responses (SPEC §8): 2xx bodies of item operations and of creates; not lists, health or errors. */
export function singleResourceResponses(exchanges: readonly Exchange[], resources: readonly Resource[]): Exchange[] {
  const items = resources.map(itemPattern);
  const collections = new Set(resources.map((r) => r.collection));
  return exchanges.filter((e) => {
    const s = e.response!.status;
    if (s < 200 || s >= 300 || !e.response!.bodyBytes || jsonBody(e) === undefined) return false;
    return (e.request.method === 'POST' && collections.has(e.path)) || (e.request.method !== 'POST' && items.some((re) => re.test(e.path)));
  });
}

/** SPEC §6 format.response-envelope (platform), run-wide: single resources are {data, metadata{request_id, timestamp, processing_time_ms}}. */
export const formatResponseEnvelope = defineRule('format.response-envelope', {
  probes: [resourcesCreateProbe, resourcesReadProbe, resourcesUpdateProbe],
  runWide: true,
  check(rec, ctx) {
    const judged = singleResourceResponses(apiExchanges(rec), ctx.target.resources);
    if (!judged.length) return skipped('nothing-to-check', 'the run saw no 2xx body of an item or create operation');
    const findings: Finding[] = judged.flatMap((e) =>
      ctx.schemas.validate('single-resource-envelope', jsonBody(e)).map((err) => ({
        message: `single-resource body is not the {data, metadata} envelope: ${describeSchemaError(err)}`,
        exchanges: [e.id],
        at: `$${err.instancePath.replace(/\//g, '.')}`,
        expected: '{"data": {…}, "metadata": {"request_id", "timestamp", "processing_time_ms"}}',
        received: (e.response!.body ?? '').slice(0, 160),
      })),
    );
    return findings.length
      ? failed(
          `${new Set(findings.flatMap((f) => f.exchanges)).size} of ${judged.length} single-resource responses lack the envelope`,
          findings,
        )
      : passed(`all ${judged.length} single-resource responses use the {data, metadata} envelope`, judged);
  },
});
