'use strict';

const { test } = require('node:test');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

// TypeScript is a dev dependency: present after `npm install` (scripts/test-sdk.sh runs `npm ci`).
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  tsc = undefined;
}

test('the declarations type-check the seed usage from ES modules and CommonJS', {
  skip: tsc ? false : 'TypeScript is not installed: run `npm install` in sdk/node to check the .d.ts files',
}, () => {
  execFileSync(process.execPath, [tsc, '-p', path.join(__dirname, 'types')], { stdio: 'pipe' });
});
