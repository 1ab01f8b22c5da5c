/**
 * Prints a bearer JWT the example accepts, signed with JWT_SECRET:
 *   node --import tsx examples/fastify-platform/src/mint-token.ts [--org org-a] [--sub user-a]
 *        [--scope "documents:read documents:write"] [--expires-in 3600] [--expired]
 */
import { parseArgs } from 'node:util';
import { READ, WRITE, signToken } from './auth.ts';

const { values } = parseArgs({
  options: {
    org: { type: 'string', default: 'org-a' },
    sub: { type: 'string', default: 'user-a' },
    scope: { type: 'string', default: `${READ} ${WRITE}` },
    'expires-in': { type: 'string', default: '3600' },
    expired: { type: 'boolean', default: false },
  },
});
const secret = process.env.JWT_SECRET;
if (!secret) {
  console.error('JWT_SECRET is not set');
  process.exit(2);
}
const exp = Math.floor(Date.now() / 1000) + (values.expired ? -60 : Number(values['expires-in']));
console.log(signToken({ sub: values.sub, org_id: values.org, scope: values.scope, exp }, secret));
