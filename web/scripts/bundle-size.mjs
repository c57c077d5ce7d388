// Prints the gzipped JavaScript a first visit loads (the entry script and the
// chunks index.html preloads: sign-in and Stock), and fails above the budget.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const budget = 250 * 1024;
const dist = path.resolve(import.meta.dirname, '..', 'dist');
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
let total = 0;
for (const f of files) {
  const gz = zlib.gzipSync(fs.readFileSync(path.join(dist, f)), { level: 9 }).length;
  total += gz;
  console.log(`${(gz / 1024).toFixed(1).padStart(7)} KB  ${f}`);
}
console.log(`${(total / 1024).toFixed(1).padStart(7)} KB  first load (gzipped JavaScript), budget ${budget / 1024} KB`);
if (total > budget) {
  console.error('over budget: load more of the app lazily');
  process.exit(1);
}
