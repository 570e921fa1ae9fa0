import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENDPOINT_DEFINITIONS, endpointTableMarkdown, withEndpointTable } from '../src/index.js';

describe('endpoint table', () => {
  it('has a row per definition', () => {
    const lines = endpointTableMarkdown().split('\n');
    expect(lines).toHaveLength(2 + Object.keys(ENDPOINT_DEFINITIONS).length);
    expect(lines[2]).toMatch(/^\| `payments\/pay` \| `pay` \| yes: keyed by `paymentRequestId` \| notifyPayment, notifyPaymentInStore \| /);
  });

  it('in the root README is the one the definitions give (npm run build && npm run docs:endpoints rewrites it)', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(withEndpointTable(readme));
  });
});
