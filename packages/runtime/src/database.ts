import type { DataSource } from 'typeorm';
import { ConfigError, type CoreConfig } from '@galvanic/config';
import { createDataSource, migrate } from '@galvanic/db';
import { readCaFile } from './tls';

/** Connects to `[database] connection`; migrations run only when asked (all-in-one, db:migrate). */
export async function connectDatabase(
  config: CoreConfig,
  applicationName: string,
  options: { url?: string; runMigrations?: boolean } = {},
): Promise<DataSource> {
  const url = options.url ?? config.database.connection;
  if (!url) throw new ConfigError('[database] connection (or DATABASE_URL) must be set');
  const dataSource = createDataSource({
    url,
    applicationName,
    maxPoolSize: config.database.max_pool_size,
    ca: readCaFile(config.database.ssl_ca_file),
  });
  await dataSource.initialize();
  if (options.runMigrations) await migrate(dataSource);
  return dataSource;
}
