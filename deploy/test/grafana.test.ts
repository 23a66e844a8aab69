import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { apiRequest, sendHttp, startSplitMode, type SplitMode } from '@galvanic/testing';
import { metricNames } from './promql';

const ROOT = resolve(import.meta.dirname, '../..');

interface Dashboard {
  panels: { title: string; targets: { expr: string }[] }[];
}

/**
 * The series names a Prometheus text exposition offers, from its `# TYPE` lines: a histogram
 * offers `_bucket`, `_sum` and `_count`, a summary `_sum` and `_count` besides itself.
 */
function exportedSeries(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === 'histogram')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(name! + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name! + suffix);
  }
  return names;
}

describe('PromQL metric names', () => {
  it('are told apart from functions, aggregations, keywords, labels and strings', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (le, host) (rate(a_bucket{queue=~"x\\\\.y", le!="1"}[5m])))' +
          ' / on (host) group_left (instance) b_total offset 5m and count_values("value", c)' +
          ' > bool 3 unless topk(5, d:recorded) or sum without (x) (e) * f{__name__="g"} + 1e3',
      ),
    ).toEqual(['a_bucket', 'b_total', 'c', 'd:recorded', 'e', 'f']);
  });

  it('refuses what is not PromQL', () => {
    expect(() => metricNames('rate(x{a="b"[5m])')).toThrow(SyntaxError);
    expect(() => metricNames('sum(x) $ 2')).toThrow(SyntaxError);
  });
});

describe('the Grafana dashboard, against the metrics a running Galvanic exports', () => {
  const dashboard = JSON.parse(
    readFileSync(join(ROOT, 'deploy/grafana/galvanic-dashboard.json'), 'utf8'),
  ) as Dashboard;
  let split: SplitMode;
  let exported: Set<string>;
  let expositions: string[];

  beforeAll(async () => {
    split = await startSplitMode({
      conductors: ['c1'],
      env: { GALVANIC_CONDUCTOR__SYNC_POWER_STATE_INTERVAL: '1' },
    });
    // Some traffic first, so labelled series have samples to check.
    const created = await apiRequest(split.apiUrl, 'POST', '/v1/nodes', {
      minor: 46,
      body: { driver: 'fake-hardware' },
    });
    const uuid = (created.body as { uuid: string }).uuid;
    const powered = await apiRequest(split.apiUrl, 'PUT', `/v1/nodes/${uuid}/states/power`, {
      minor: 46,
      body: { target: 'power on' },
    });
    expect(powered.status).toBe(202);
    await split.conductors.get('c1')!.waitFor(/power state sync pass/, 30_000);
    const statusPort = /"status_port":(\d+)/.exec(split.conductors.get('c1')!.output())![1];
    const [api, conductor] = await Promise.all([
      sendHttp(split.apiUrl, 'GET', '/metrics'),
      sendHttp(`http://127.0.0.1:${statusPort}`, 'GET', '/metrics'),
    ]);
    expect(api.status).toBe(200);
    expect(conductor.status).toBe(200);
    expositions = [api.text, conductor.text];
    exported = new Set([...exportedSeries(api.text), ...exportedSeries(conductor.text)]);
  }, 120_000);

  afterAll(async () => {
    await split?.stop();
  });

  it('queries in every panel only metrics the api or a conductor exports', () => {
    const queried = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const { expr } of panel.targets) {
        const names = metricNames(expr);
        expect(names.length, `${panel.title}: ${expr}`).toBeGreaterThan(0);
        for (const name of names) {
          expect(exported.has(name), `${panel.title} queries ${name}, which is not exported`).toBe(
            true,
          );
          queried.add(name);
        }
      }
    }
    // What an operator scaling conductors watches is on the dashboard.
    for (const name of [
      'galvanic_conductor_queue_messages_ready',
      'galvanic_conductor_queue_consumers',
      'galvanic_rpc_client_in_flight',
      'galvanic_node_lock_conflicts_total',
      'galvanic_power_sync_duration_seconds_bucket',
      'galvanic_power_sync_nodes_skipped_locked_total',
      'galvanic_nodes',
      'galvanic_conductor_nodes',
    ]) {
      expect(queried, name).toContain(name);
    }
  });

  it('feeds the autoscalers only metrics a conductor or the api exports', () => {
    const dir = join(ROOT, 'deploy/kubernetes/autoscaling');
    const scaledObject = parse(
      readFileSync(join(dir, 'keda/conductor-scaledobject.yaml'), 'utf8'),
    ) as { spec: { triggers: { metadata: { query: string } }[] } };
    const adapter = parse(readFileSync(join(dir, 'hpa/prometheus-adapter-rules.yaml'), 'utf8')) as {
      data: Record<string, string>;
    };
    const rules = (
      parse(adapter.data['config.yaml']!) as {
        rules: { seriesQuery: string; metricsQuery: string }[];
      }
    ).rules;
    // The adapter's Go templates stand for a series name, label matchers and a label list.
    const untemplated = (query: string) =>
      query
        .replaceAll('<<.Series>>', 'galvanic_rpc_server_in_flight')
        .replaceAll('<<.LabelMatchers>>', 'namespace="galvanic"')
        .replaceAll('<<.GroupBy>>', 'pod');
    const queries = [
      ...scaledObject.spec.triggers.map((trigger) => trigger.metadata.query),
      ...rules.flatMap((rule) => [rule.seriesQuery, untemplated(rule.metricsQuery)]),
    ];
    expect(queries.length).toBeGreaterThanOrEqual(4);
    for (const query of queries) {
      const names = metricNames(query);
      expect(names.length, query).toBeGreaterThan(0);
      for (const name of names) expect(exported.has(name), `${query}: ${name}`).toBe(true);
    }
  });

  it('names metrics by Prometheus conventions: counters end in _total, no node uuids in labels', () => {
    for (const name of exported) expect(name, name).toMatch(/^galvanic_[a-z0-9_]+$/);
    const text = expositions.join('\n');
    for (const [, name] of text.matchAll(/^# TYPE (\S+) counter$/gm)) {
      expect(name, name).toMatch(/_total$/);
    }
    const samples = text.split('\n').filter((line) => line && !line.startsWith('#'));
    expect(samples.some((line) => line.startsWith('galvanic_rpc_client_calls_total{'))).toBe(true);
    // The broker's own count of c1's queue, read by the api at scrape time.
    expect(samples).toContain('galvanic_conductor_queue_consumers{conductor="c1"} 1');
    expect(samples).toContain('galvanic_conductor_queue_messages_ready{conductor="c1"} 0');
    expect(samples).toContain('galvanic_nodes{provision_state="enroll"} 1');
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
    for (const line of samples) expect(line, line).not.toMatch(uuid);
  });
});
