import { defineConfig } from 'vitest/config';
import SlowestFirstSequencer from './scripts/slowest-first-sequencer';

/**
 * Workspace packages publish compiled JavaScript (`dist/`) and name their TypeScript source under
 * the `galvanic-source` export condition: tests, and the processes they start, run the source.
 */
const SOURCE_CONDITION = 'galvanic-source';
if (!process.env.NODE_OPTIONS?.includes(`--conditions=${SOURCE_CONDITION}`)) {
  process.env.NODE_OPTIONS =
    `${process.env.NODE_OPTIONS ?? ''} --conditions=${SOURCE_CONDITION}`.trim();
}

export default defineConfig({
  resolve: { conditions: [SOURCE_CONDITION, 'module', 'node', 'development|production'] },
  ssr: {
    resolve: {
      conditions: [SOURCE_CONDITION, 'module', 'node', 'development|production'],
      externalConditions: [SOURCE_CONDITION],
    },
  },
  test: {
    include: [
      '{services,packages,examples,bench}/*/{src,test}/**/*.test.ts',
      'deploy/test/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most test files wait on processes, brokers and virtual machines rather than compute: three
    // files at a time keep both cores of the CI machine busy (vitest's default here would be one;
    // with two, the suite took 16.5 min here), the longest files first.
    maxWorkers: 3,
    minWorkers: 1,
    sequence: { sequencer: SlowestFirstSequencer },
    reporters: ['default', './scripts/summary-reporter.ts'],
    // Driver packages that loader tests install into temporary node_modules folders import the
    // SDK's TypeScript source: let vitest transform them instead of handing them to Node.
    server: { deps: { inline: [/\/\.installed-/] } },
  },
});
