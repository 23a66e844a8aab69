import { cpus } from 'node:os';
import { ipmiBenchmarks } from './ipmi';
import { nodeBenchmarks } from './nodes';
import { platformBenchmarks } from './platform';
import { redfishBenchmarks } from './redfish';
import { scaleBenchmarks } from './scale';

/**
 * `pnpm bench`: runs every workload and prints one JSON document. `pnpm bench scale` runs only
 * the scale workload (10,000 nodes on four conductors; BENCH_SCALE_NODES for another count);
 * `pnpm bench api` only the API workloads with their floors.
 */
const started = Date.now();
const machine = { cpus: cpus().length, node: process.version };
const only = process.argv[2];
const results: Record<string, unknown> =
  only === 'scale'
    ? { machine, scale: await scaleBenchmarks() }
    : only === 'api'
      ? { machine, nodes: await nodeBenchmarks() }
      : {
          machine,
          platform: await platformBenchmarks(),
          nodes: await nodeBenchmarks(),
          ipmi: await ipmiBenchmarks(),
          redfish: await redfishBenchmarks(),
        };
results.total_seconds = Number(((Date.now() - started) / 1000).toFixed(1));
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
process.exit(0);
