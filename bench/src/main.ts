import { cpus } from 'node:os';
import { ipmiBenchmarks } from './ipmi';
import { nodeBenchmarks } from './nodes';
import { platformBenchmarks } from './platform';
import { redfishBenchmarks } from './redfish';

/** `pnpm bench`: runs every workload and prints one JSON document. */
const started = Date.now();
const results: Record<string, unknown> = {
  machine: { cpus: cpus().length, node: process.version },
  platform: await platformBenchmarks(),
  nodes: await nodeBenchmarks(),
  ipmi: await ipmiBenchmarks(),
  redfish: await redfishBenchmarks(),
};
results.total_seconds = Number(((Date.now() - started) / 1000).toFixed(1));
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
process.exit(0);
