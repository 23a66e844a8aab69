import pg from 'pg';
import {
  batchSql,
  lockOneSql,
  sessionSetupSql,
  UNLOCK_ALL_SQL,
  UNLOCK_ONE_SQL,
} from '@galvanic/db/node-locks';

export interface LockSessionOptions {
  connectionString: string;
  applicationName: string;
  applicationNamePrefix: string;
  keepAliveIdleMs: number;
  connectTimeoutMs: number;
  queryTimeoutMs: number;
  /** Called once when the session fails or ends, unless it was closed on purpose. */
  onLost(session: LockSession, error: Error): void;
}

export interface LockOutcome {
  ok: boolean;
  /** For a failed lock: the holder's host name, or null if it left before Postgres looked. */
  holder: string | null;
  /** For a taken lock: the node's lock epoch now, this take included. */
  epoch: bigint | null;
  /** For a taken lock: the host that took the node's lock last before this take, if known. */
  previousHolder: string | null;
}

interface Operation {
  nodeId: number;
  lock: boolean;
  resolve(outcome: LockOutcome): void;
  reject(error: Error): void;
}

const BATCH_STATEMENT = 'galvanic_node_locks_batch';
const LOCK_ONE_STATEMENT = 'galvanic_node_lock_one';
const UNLOCK_ONE_STATEMENT = 'galvanic_node_unlock_one';

/**
 * One dedicated Postgres connection holding session advisory locks. Operations issued while a
 * statement is in flight are sent together in the next one, so a lock or unlock costs one round
 * trip however many tasks ask at once, and never more.
 *
 * Any failure of the connection or of a statement ends the session: after an error nobody can
 * tell which locks it still holds, and ending it makes Postgres release them all.
 */
export class LockSession {
  /** `<pid>:<backend start in µs>`: names this backend even after its pid is recycled. */
  fenceToken = '';
  pid = 0;
  private pending: Operation[] = [];
  private flushing = false;
  private lostError: Error | undefined;
  private closed = false;
  /** Whether a failure is reported through onLost: only between open and close. */
  private reportLoss = false;
  private readonly batchText: string;
  private readonly lockOneText: string;

  private constructor(
    private readonly client: pg.Client,
    private readonly options: LockSessionOptions,
  ) {
    this.batchText = batchSql(options.applicationNamePrefix);
    this.lockOneText = lockOneSql(options.applicationNamePrefix);
    client.on('error', (error) => this.fail(error));
    client.on('end', () => this.fail(new Error('the lock session ended')));
  }

  static async open(options: LockSessionOptions): Promise<LockSession> {
    const client = new pg.Client({
      connectionString: options.connectionString,
      application_name: options.applicationName,
      keepAlive: true,
      keepAliveInitialDelayMillis: options.keepAliveIdleMs,
      connectionTimeoutMillis: options.connectTimeoutMs,
      query_timeout: options.queryTimeoutMs,
    });
    const session = new LockSession(client, options);
    try {
      await client.connect();
      const result = await client.query<{ token: string }>(
        sessionSetupSql(options.keepAliveIdleMs / 1000),
      );
      const token = result.rows[0]?.token;
      if (!token) throw new Error('lock session: the backend is missing from pg_stat_activity');
      session.fenceToken = token;
      session.pid = Number(token.split(':')[0]);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (session.lostError) throw session.lostError;
    session.reportLoss = true;
    return session;
  }

  get lost(): boolean {
    return this.lostError !== undefined;
  }

  tryLock(nodeId: number): Promise<LockOutcome> {
    return this.enqueue(nodeId, true);
  }

  async unlock(nodeId: number): Promise<void> {
    await this.enqueue(nodeId, false);
  }

  /** Releases every lock of the session and disconnects; does not report a loss. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.reportLoss = false;
    if (!this.lostError) {
      await this.client.query(UNLOCK_ALL_SQL).catch(() => undefined);
    }
    this.fail(new Error('the lock session was closed'));
    await this.client.end().catch(() => undefined);
  }

  private enqueue(nodeId: number, lock: boolean): Promise<LockOutcome> {
    if (this.lostError) return Promise.reject(this.lostError);
    return new Promise((resolve, reject) => {
      this.pending.push({ nodeId, lock, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.pending.length > 0 && !this.lostError) {
      const batch = this.pending;
      this.pending = [];
      let rows: unknown[][];
      try {
        const result = await this.client.query<unknown[]>(this.statementFor(batch));
        rows = result.rows;
        if (rows.length !== batch.length) {
          throw new Error(`lock session: ${batch.length} operations but ${rows.length} results`);
        }
      } catch (error) {
        this.fail(error instanceof Error ? error : new Error(String(error)));
        for (const op of batch) op.reject(this.lostError ?? (error as Error));
        break;
      }
      batch.forEach((op, i) => {
        const row = rows[i]!;
        op.resolve({
          ok: row[0] === true,
          holder: typeof row[1] === 'string' ? row[1] : null,
          epoch: typeof row[2] === 'string' ? BigInt(row[2]) : null,
          previousHolder: typeof row[3] === 'string' ? row[3] : null,
        });
      });
    }
    this.flushing = false;
  }

  private statementFor(batch: Operation[]): pg.QueryArrayConfig {
    const only = batch.length === 1 ? batch[0] : undefined;
    if (only) {
      return only.lock
        ? {
            name: LOCK_ONE_STATEMENT,
            text: this.lockOneText,
            values: [only.nodeId],
            rowMode: 'array',
          }
        : {
            name: UNLOCK_ONE_STATEMENT,
            text: UNLOCK_ONE_SQL,
            values: [only.nodeId],
            rowMode: 'array',
          };
    }
    return {
      name: BATCH_STATEMENT,
      text: this.batchText,
      values: [batch.map((op) => op.nodeId), batch.map((op) => op.lock)],
      rowMode: 'array',
    };
  }

  private fail(error: Error): void {
    if (this.lostError) return;
    this.lostError = error;
    const pending = this.pending;
    this.pending = [];
    for (const op of pending) op.reject(error);
    if (!this.reportLoss) return;
    // The backend may still be alive (a statement failed, a client-side timeout): end it so
    // Postgres drops whatever it still holds.
    this.client.end().catch(() => undefined);
    this.options.onLost(this, error);
  }
}
