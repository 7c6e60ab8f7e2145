#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ (built by `npm ci` through the root prepare script).
import('../dist/main.js').then(
  (m) => m.main(process.argv),
  (error) => {
    process.stderr.write(`upframe: error: the CLI is not built (${error.message}).\nhint: run \`npm ci\` (or \`npm run build\`) in the repository root.\n`);
    process.exit(1);
  },
);
