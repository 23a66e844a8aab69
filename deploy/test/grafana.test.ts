import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Every source file of the services and packages, where metric names are defined. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'test') return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the Grafana dashboard', () => {
  const dashboard = JSON.parse(
    readFileSync(join(ROOT, 'deploy/grafana/galvanic-dashboard.json'), 'utf8'),
  ) as {
    panels: { title: string; targets: { expr: string }[] }[];
  };
  const code = [...sources(join(ROOT, 'services')), ...sources(join(ROOT, 'packages'))]
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');

  it('queries only metrics Galvanic exports (RabbitMQ queue metrics aside)', () => {
    const names = new Set(
      dashboard.panels.flatMap((panel) =>
        panel.targets.flatMap((target) =>
          [...target.expr.matchAll(/\b(galvanic_[a-z_]+?)(?:_bucket|_sum|_count)?\b/g)].map(
            (m) => m[1]!,
          ),
        ),
      ),
    );
    expect(names.size).toBeGreaterThan(5);
    for (const name of names) {
      // RPC metrics are declared once per side, as galvanic_rpc_${side}_...
      const declared =
        code.includes(`'${name}'`) ||
        code.includes(
          `${name.replace(/^galvanic_(rpc_(client|server))_/, 'galvanic_rpc_${side}_')}`,
        );
      expect(declared, name).toBe(true);
    }
  });
});
