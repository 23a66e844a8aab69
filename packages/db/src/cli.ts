import { ConfigError, findConfigFile, readSources, resolveCoreConfig } from '@galvanic/config';
import { createDataSource, migrate } from './data-source';

async function main(): Promise<void> {
  const command = process.argv[2];
  if (command !== 'migrate') {
    console.error('usage: galvanic-db migrate [--config-file FILE]');
    process.exit(2);
  }
  const raw = readSources({ file: findConfigFile(process.argv, process.env), env: process.env });
  const config = resolveCoreConfig(raw);
  if (!config.database.connection) {
    throw new ConfigError('[database] connection (or DATABASE_URL) must be set to run migrations');
  }
  const dataSource = createDataSource({
    url: config.database.connection,
    applicationName: 'galvanic-migrate',
  });
  await dataSource.initialize();
  try {
    const applied = await migrate(dataSource);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`galvanic-db: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
