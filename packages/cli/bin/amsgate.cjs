#!/usr/bin/env node
// CommonJS on purpose: libuv sizes its thread pool when the pool is first
// used, and Node's ESM loader uses it before any ES module runs. Setting
// UV_THREADPOOL_SIZE here, before the first import, is what makes it count
// (see recommendedThreadPoolSize in @amsgate/gateway: one pool thread per
// core, which `serve` then gives a lower priority than the JavaScript
// thread; an explicit value in the environment wins).
'use strict';
const { availableParallelism } = require('node:os');

process.env.UV_THREADPOOL_SIZE ??= String(availableParallelism());

// A reader that stops early (`amsgate openapi | head`) is not an error: stop quietly, as Unix tools do.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

import('../dist/main.js').then(
  async ({ main }) => {
    process.exitCode = await main(process.argv);
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
