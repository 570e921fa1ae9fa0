// Rewrites the endpoint table in README.md from the definitions in @amsgate/protocol.
// Reads the built package: run `npm run build` first (`npm run docs:endpoints` is this script).
import { readFileSync, writeFileSync } from 'node:fs';
import { withEndpointTable } from '../packages/protocol/dist/index.js';

const readmeUrl = new URL('../README.md', import.meta.url);
const readme = readFileSync(readmeUrl, 'utf8');
const updated = withEndpointTable(readme);
if (updated === readme) {
  console.log('README.md: the endpoint table is up to date');
} else {
  writeFileSync(readmeUrl, updated);
  console.log('README.md: the endpoint table was rewritten');
}
