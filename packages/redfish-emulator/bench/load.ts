/**
 * Hits an emulator of N Systems with GETs of Systems (and one Reset in ten) from C concurrent
 * keep-alive connections; prints JSON. Client and emulator share this process, so the figure is a
 * floor for the emulator alone.
 *
 *   npx tsx packages/redfish-emulator/bench/load.ts [systems=100] [requests=20000] [concurrency=32]
 */
import http from 'node:http';
import { redfishRequest, startRedfishFleet } from '../src/testing';

const [systems = 100, requests = 20_000, concurrency = 32] = process.argv
  .slice(2)
  .map((value) => Number(value));

const emulator = await startRedfishFleet(systems);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const latencies: number[] = [];
let issued = 0;
let failures = 0;

async function worker(): Promise<void> {
  while (issued < requests) {
    const n = issued++;
    const path = `/redfish/v1/Systems/${(n % systems) + 1}`;
    const started = performance.now();
    const res =
      n % 10 === 0
        ? await redfishRequest(emulator, 'POST', `${path}/Actions/ComputerSystem.Reset`, {
            agent,
            body: { ResetType: n % 20 === 0 ? 'On' : 'ForceOff' },
          })
        : await redfishRequest(emulator, 'GET', path, { agent });
    latencies.push(performance.now() - started);
    if (res.status >= 400) failures += 1;
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, () => worker()));
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const percentile = (p: number): number =>
  Number(
    (latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0).toFixed(2),
  );
console.log(
  JSON.stringify({
    systems,
    requests,
    concurrency,
    failures,
    seconds: Number(seconds.toFixed(2)),
    requestsPerSecond: Math.round(requests / seconds),
    p50Ms: percentile(0.5),
    p99Ms: percentile(0.99),
  }),
);
agent.destroy();
await emulator.close();
