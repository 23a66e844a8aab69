/** Counters exposed as `RedfishClient.stats`. Plain numbers so callers can export them as metrics. */
export interface RedfishStats {
  /** HTTP requests put on the wire (every attempt counts). */
  requests: number;
  /** Attempts repeated after a connection error, a timeout or a retryable 5xx. */
  retries: number;
  connectionErrors: number;
  timeouts: number;
  /** Answers with a 4xx or 5xx status. */
  httpErrors: number;
  /** Sessions created (first login and re-logins). */
  logins: number;
  /** Logins made because the BMC answered 401 to a request with our session token. */
  reLogins: number;
  sessionsDeleted: number;
  /** Requests waiting for a free slot under `maxInFlight` right now. */
  queued: number;
  /** Requests on the wire right now. */
  inFlight: number;
  /** Attempts that got an answer, and their total and largest time in milliseconds. */
  latencyCount: number;
  latencyMsTotal: number;
  latencyMsMax: number;
}

export function createStats(): RedfishStats {
  return {
    requests: 0,
    retries: 0,
    connectionErrors: 0,
    timeouts: 0,
    httpErrors: 0,
    logins: 0,
    reLogins: 0,
    sessionsDeleted: 0,
    queued: 0,
    inFlight: 0,
    latencyCount: 0,
    latencyMsTotal: 0,
    latencyMsMax: 0,
  };
}

export function recordLatency(stats: RedfishStats, ms: number): void {
  stats.latencyCount++;
  stats.latencyMsTotal += ms;
  if (ms > stats.latencyMsMax) stats.latencyMsMax = ms;
}

/** Minimal structured logger; compatible with pino/console-style loggers. */
export interface RedfishLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: RedfishLogger = { debug() {}, warn() {} };
