import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const generic = fileURLToPath(new URL('../../../packages/driver-generic/src', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Prettier re-indents the guide's blocks, so lines are compared without their indentation. */
const unindent = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .join('\n');

const sources = [
  ...filesUnder(join(root, 'src')),
  ...filesUnder(join(root, 'test')),
  ...filesUnder(generic),
  join(root, 'package.json'),
].map((path) => unindent(readFileSync(path, 'utf8')));

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```(ts|json)\n([\s\S]*?)```/g)].map((match) => match[2]!);

describe('the guide', () => {
  it('has code blocks', () => {
    expect(blocks.length).toBeGreaterThan(10);
  });

  it.each(blocks.map((block) => [block.split('\n')[0], block]))(
    'quotes the real files: %s',
    (_first, block) => {
      expect(sources.some((source) => source.includes(unindent(block)))).toBe(true);
    },
  );
});
