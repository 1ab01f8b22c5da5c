/** Which health/ready exchange observability judges: the anonymous one, or the authenticated retry when anonymous callers were refused (auth.public-health judges that refusal). */
import type { HealthAuthenticatedOutput } from '../../probes/observability.ts';
import type { Exchange } from '../../http/exchange.ts';
import { exchangeById } from '../support.ts';
import type { Recording } from '../types.ts';

export function endpointExchange(rec: Recording, name: 'health' | 'ready'): Exchange | undefined {
  const anonymous = exchangeById(rec, rec.outputs[name] as number | undefined);
  const retried = exchangeById(rec, (rec.outputs['health:authenticated'] as HealthAuthenticatedOutput | undefined)?.[name]);
  return retried ?? anonymous;
}
