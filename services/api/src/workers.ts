import cluster from 'node:cluster';
import type { Logger } from '@galvanic/logging';

/**
 * Runs the API in `count` worker processes sharing its port (node:cluster), as Ironic's
 * api_workers does: a worker that dies is replaced; SIGTERM and SIGINT stop them all.
 */
export function superviseWorkers(count: number, logger: Logger): void {
  let stopping = false;
  for (let i = 0; i < count; i += 1) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error('api worker exited; starting another', { pid: worker.process.pid, code, signal });
    cluster.fork();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info('api stopping its workers', { signal });
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
