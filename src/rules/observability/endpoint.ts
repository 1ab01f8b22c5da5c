/** Which health/ready exchange observability judges: the anonymous one, or the authenticated retry when anonymous callers were refused (auth.public-health judges that refusal). */
import { healthProbe, readyProbe } from '../../probes/health.ts';
import type { Exchange } from '../../http/exchange.ts';
import { exchangeById } from '../support.ts';
import type { Recording } from '../types.ts';
import { healthAuthenticatedProbe } from '../../probes/observability.ts';
import { outputOf } from '../../probes/types.ts';

export function endpointExchange(rec: Recording, name: 'health' | 'ready'): Exchange | undefined {
  const anonymous = exchangeById(rec, outputOf(rec, name === 'health' ? healthProbe : readyProbe));
  const retried = exchangeById(rec, outputOf(rec, healthAuthenticatedProbe)?.[name]);
  return retried ?? anonymous;
}
