import { execFileSync } from 'node:child_process';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import winston from 'winston';
import { describe, expect, it } from 'vitest';
import { BatchedStdoutTransport } from '../src/batched-stdout';

describe('BatchedStdoutTransport', () => {
  it('writes the lines of one turn of the event loop in one write, in order', async () => {
    const writes: string[] = [];
    const output = {
      write: (text: string) => writes.push(text),
    } as unknown as NodeJS.WritableStream;
    const transport = new BatchedStdoutTransport(output);
    const logger = winston.createLogger({ format: winston.format.json(), transports: [transport] });
    for (let i = 0; i < 100; i += 1) logger.info('line', { i });
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toHaveLength(1);
    const lines = writes[0]!
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { i: number });
    expect(lines.map((line) => line.i)).toEqual([...Array(100).keys()]);
    logger.info('later');
    await nextTurn();
    expect(writes).toHaveLength(2);
    transport.close();
  });

  it('writes what is pending when the process exits in the same turn', () => {
    const logger = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const script =
      `const { createLogger } = await import(${JSON.stringify(logger)});` +
      "const log = createLogger({ service: 'exit-test', host: 'h' });" +
      "log.info('first'); log.error('last words', { code: 3 }); process.exit(3);";
    let stdout = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        encoding: 'utf8',
        timeout: 30_000,
      });
    } catch (error) {
      stdout = (error as { stdout: string; status: number }).stdout;
      expect((error as { status: number }).status).toBe(3);
    }
    const messages = stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { message: string }).message);
    expect(messages).toEqual(['first', 'last words']);
  });
});
