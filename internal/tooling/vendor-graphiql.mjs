// vendor-graphiql.mjs copies the GraphiQL and React browser bundles, with
// their licences, from node_modules into internal/graphiql/vendor, which the
// service embeds: the IDE then needs no CDN and works offline.
//
// Run it after changing the version of graphiql, react or react-dom:
//   npm ci && node vendor-graphiql.mjs
// With --check it copies nothing and exits 1 when a file differs.
import { copyFileSync, readFileSync } from 'node:fs';

export const files = {
  'graphiql.min.js': 'graphiql/graphiql.min.js',
  'graphiql.min.css': 'graphiql/graphiql.min.css',
  'graphiql.LICENSE': 'graphiql/LICENSE',
  'react.production.min.js': 'react/umd/react.production.min.js',
  'react.LICENSE': 'react/LICENSE',
  'react-dom.production.min.js': 'react-dom/umd/react-dom.production.min.js',
  'react-dom.LICENSE': 'react-dom/LICENSE',
};

const check = process.argv.includes('--check');
let stale = 0;
for (const [name, from] of Object.entries(files)) {
  const src = new URL(`node_modules/${from}`, import.meta.url);
  const dst = new URL(`../graphiql/vendor/${name}`, import.meta.url);
  if (!check) {
    copyFileSync(src, dst);
    continue;
  }
  let current;
  try {
    current = readFileSync(dst);
  } catch {}
  if (!current || !current.equals(readFileSync(src))) {
    console.error(`internal/graphiql/vendor/${name} differs from node_modules/${from}: run node internal/tooling/vendor-graphiql.mjs`);
    stale++;
  }
}
process.exit(stale ? 1 : 0);
