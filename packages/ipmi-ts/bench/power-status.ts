/**
 * Cold vs warm getChassisStatus latency against one local ipmi_sim.
 * Run: cd /work/main && npx tsx packages/ipmi-ts/bench/power-status.ts [iterations]
 */
import { IpmiClient } from '../src/index';
import { SIM_PASSWORD, SIM_USER, startSims } from '../src/testing';

const iterations = Number(process.argv[2] ?? 200);

function summarize(samples: number[]): { median: number; p99: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number =>
    Number((s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN).toFixed(3));
  return { median: at(0.5), p99: at(0.99), n: s.length };
}

const fleet = await startSims(1);
try {
  const sim = fleet.sims[0];
  if (!sim) throw new Error('no simulator');
  const opts = { host: '127.0.0.1', port: sim.port, username: SIM_USER, password: SIM_PASSWORD };

  const cold: number[] = [];
  for (let i = 0; i < Math.min(iterations, 100); i++) {
    const client = new IpmiClient();
    const t = performance.now();
    await client.bmc(opts).getChassisStatus();
    cold.push(performance.now() - t);
    await client.close();
  }

  const client = new IpmiClient();
  const bmc = client.bmc(opts);
  await bmc.getChassisStatus();
  const warm: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await bmc.getChassisStatus();
    warm.push(performance.now() - t);
  }
  await client.close();

  console.log(
    JSON.stringify(
      { unit: 'ms', cipherSuite: 3, cold: summarize(cold), warm: summarize(warm) },
      null,
      2,
    ),
  );
} finally {
  fleet.stop();
}
