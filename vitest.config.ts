import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      '{services,packages,examples,bench}/*/{src,test}/**/*.test.ts',
      'deploy/test/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './scripts/summary-reporter.ts'],
    // Driver packages that loader tests install into temporary node_modules folders import the
    // SDK's TypeScript source: let vitest transform them instead of handing them to Node.
    server: { deps: { inline: [/\/\.installed-/] } },
  },
});
