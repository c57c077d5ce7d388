// audit.mjs runs the GraphQL-over-HTTP audits of the npm package graphql-http
// (serverAudits) against a running service and prints one line per audit.
// It exits 1 when any audit is not "ok": an error, a warning or a notice.
//
//   node audit.mjs http://localhost:8080/graphql "$TOKEN"
//
// The token (any credential that may read) is sent on every request, as a
// client would; the audits themselves know nothing of authentication.
import { buildClientSchema, getIntrospectionQuery, printSchema } from 'graphql';
import { serverAudits } from 'graphql-http';

const [url, token] = process.argv.slice(2);
if (!url) {
  console.error('usage: node audit.mjs URL [TOKEN]');
  process.exit(2);
}

const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};

const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const audit of serverAudits({ url, fetchFn })) {
  const result = await audit.fn();
  counts[result.status]++;
  if (result.status === 'ok') {
    console.log(`ok      ${result.name}`);
    continue;
  }
  let body = '';
  try {
    body = await result.response.text();
  } catch {}
  console.log(`${result.status.padEnd(7)} ${result.name}: ${result.reason}`);
  console.log(`        status ${result.response.status} ${result.response.headers.get('content-type')} ${body.slice(0, 300)}`);
}
// What GraphiQL and codegen do first: introspect, and build the schema.
{
  const name = 'MUST answer getIntrospectionQuery() with a schema graphql-js can build';
  let reason = '';
  try {
    const res = await fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({
        query: getIntrospectionQuery({
          inputValueDeprecation: true,
          schemaDescription: true,
          specifiedByUrl: true,
          directiveIsRepeatable: true,
        }),
      }),
    });
    const body = await res.json();
    if (res.status !== 200 || body.errors) {
      reason = `status ${res.status}, errors ${JSON.stringify(body.errors)}`;
    } else if (!printSchema(buildClientSchema(body.data)).includes('type Query')) {
      reason = 'the schema has no Query type';
    }
  } catch (e) {
    reason = String(e);
  }
  counts[reason ? 'error' : 'ok']++;
  console.log(reason ? `error   ${name}: ${reason}` : `ok      ${name}`);
}

console.log(`\n${counts.ok} ok, ${counts.notice} notices, ${counts.warn} warnings, ${counts.error} errors`);
process.exit(counts.ok === Object.values(counts).reduce((a, b) => a + b) ? 0 : 1);
