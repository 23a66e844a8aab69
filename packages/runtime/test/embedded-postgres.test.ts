import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@galvanic/logging';
import { EmbeddedPostgresStartFailed, startEmbeddedPostgres } from '../src';

describe('embedded PostgreSQL', () => {
  let folder: string;
  let squatter: Server;
  let port: number;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'galvanic-embedded-'));
    // PostgreSQL runs as its own user, which must be able to reach its data folder.
    await chmod(folder, 0o755);
    squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    port = (squatter.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => squatter?.close(resolve));
    await rm(folder, { recursive: true, force: true });
  });

  it('names the taken port, with the server output, when it cannot bind', async () => {
    const started = startEmbeddedPostgres(join(folder, 'pgdata'), port, silentLogger());
    const error = await started.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(EmbeddedPostgresStartFailed);
    const failed = error as EmbeddedPostgresStartFailed;
    expect(failed.code).toBe('EADDRINUSE');
    expect(failed.port).toBe(port);
    expect(failed.message).toContain(`127.0.0.1:${port} (the port is taken)`);
    expect(failed.message).toMatch(/Address already in use/);
  }, 60_000);
});
