import type { DataSource } from 'typeorm';
import type { CoreConfig, RawConfig } from '@galvanic/config';
import type { Logger } from '@galvanic/logging';
import { InProcessTransport } from '@galvanic/rpc';
import { connectToConductors, startApi, type RunningApi } from '@galvanic/api';
import { loadConductorDrivers, startConductor, type RunningConductor } from '@galvanic/conductor';
import { connectDatabase } from '@galvanic/runtime';

export interface InProcessStackOptions {
  config: CoreConfig;
  raw: RawConfig;
  logger: Logger;
  /** A PostgreSQL database the stack owns; migrated at start. */
  databaseUrl: string;
  /** Conductor host names; `[DEFAULT] host` alone when unset. */
  conductorHosts?: readonly string[];
}

export interface InProcessStack {
  readonly api: RunningApi;
  readonly apiUrl: string;
  readonly dataSource: DataSource;
  readonly conductors: ReadonlyMap<string, RunningConductor>;
  /** Stops the api, then the conductors, then the database connections; goes on past a failure. */
  stop(): Promise<void>;
}

/**
 * The api and its conductors in one process over the in-process transport: all-in-one mode, and
 * the test environment. The same services as split mode, with the transport swapped.
 */
export async function startInProcessStack(options: InProcessStackOptions): Promise<InProcessStack> {
  const { config, raw, logger } = options;
  const dataSource = await connectDatabase(config, `galvanic:${config.DEFAULT.host}`, {
    url: options.databaseUrl,
    runMigrations: true,
  });
  const transport = new InProcessTransport();
  const conductors = new Map<string, RunningConductor>();
  const steps: [string, () => Promise<unknown> | void][] = [];
  const stop = async () => {
    for (const [name, step] of steps.reverse()) {
      try {
        await step();
      } catch (error) {
        logger.warn('a shutdown step failed', { step: name, reason: (error as Error).message });
      }
    }
    steps.length = 0;
  };
  steps.push(['database', () => dataSource.destroy()]);
  try {
    for (const host of options.conductorHosts ?? [config.DEFAULT.host]) {
      const hostConfig: CoreConfig = { ...config, DEFAULT: { ...config.DEFAULT, host } };
      const conductor = await startConductor({
        config: hostConfig,
        drivers: await loadConductorDrivers(hostConfig, raw, logger),
        databaseUrl: options.databaseUrl,
        logger,
        dataSource,
        transport: transport.server(host),
        statusServer: false,
        // One boot HTTP server per process: the first conductor's.
        httpRootServer: conductors.size === 0,
      });
      conductors.set(host, conductor);
      steps.push([`conductor ${host}`, () => conductor.stop()]);
    }
    const { rpc, directory } = await connectToConductors(
      config,
      logger,
      dataSource,
      transport.client(),
    );
    steps.push(['rpc', () => rpc.close()], ['conductor list', () => directory.stop()]);
    const api = await startApi({ config, logger, dataSource, rpc, directory });
    steps.push(['api', () => api.close()]);
    return { api, apiUrl: api.url, dataSource, conductors, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
