import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '@galvanic/logging';
import {
  CONNECTION_CLOSED,
  ConnectionBalancer,
  isBalancerMessage,
  WORKER_READY,
} from './connection-balancer';
import { serverUrl } from './http/server-url';

export interface WorkerSupervision {
  count: number;
  host: string;
  port: number;
  tls: boolean;
}

/** The environment variable naming, for a worker, the URL the primary accepts connections on. */
export const HANDED_CONNECTIONS_URL_ENV = 'GALVANIC_API_HANDED_CONNECTIONS_URL';

/**
 * Runs the API in `count` worker processes behind one listening socket, as Ironic's api_workers
 * does: the primary accepts and hands each connection to the least busy worker; a worker that
 * dies is replaced; SIGTERM and SIGINT stop them all.
 */
export async function superviseWorkers(options: WorkerSupervision, logger: Logger): Promise<void> {
  const balancer = new ConnectionBalancer(options.count);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info('api stopping its workers', { signal });
    balancer.close();
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const url = serverUrl(await balancer.listen(options.port, options.host), options.tls);
  const fork = (): Worker => {
    const worker = cluster.fork({ [HANDED_CONNECTIONS_URL_ENV]: url });
    worker.on('message', (message: unknown) => {
      if (isBalancerMessage(message, CONNECTION_CLOSED)) balancer.connectionClosed(worker);
      else if (isBalancerMessage(message, WORKER_READY)) balancer.workerReady(worker);
    });
    return worker;
  };
  for (let i = 0; i < options.count; i += 1) fork();
  cluster.on('exit', (worker, code, signal) => {
    balancer.workerGone(worker);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error('api worker exited; starting another', { pid: worker.process.pid, code, signal });
    fork();
  });
}
