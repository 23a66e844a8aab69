import { readFileSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Starts the test files known to take longest first (seconds per file from a CI run, in
 * test-durations.json), so that with a few files at a time no long file starts last and runs
 * alone at the end. Files not listed keep vitest's own order after them. A fresh clone has no
 * vitest cache of durations, which is what vitest would otherwise sort by.
 */
const durations = JSON.parse(
  readFileSync(new URL('./test-durations.json', import.meta.url), 'utf8'),
) as Record<string, number>;

function secondsOf(spec: TestSpecification, root: string): number {
  const relative = spec.moduleId.startsWith(root) ? spec.moduleId.slice(root.length + 1) : '';
  return durations[relative] ?? 0;
}

export default class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const root = this.ctx.config.root;
    // Array.prototype.sort is stable: unlisted files (0 s) keep vitest's order.
    return [...ordered].sort((a, b) => secondsOf(b, root) - secondsOf(a, root));
  }
}
