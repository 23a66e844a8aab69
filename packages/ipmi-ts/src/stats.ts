/** Counters exposed as `IpmiClient.stats`. Plain numbers so callers can export them as metrics. */
export interface IpmiStats {
  packetsSent: number;
  packetsReceived: number;
  /** Received datagrams that were dropped (malformed, unmatched, failed integrity, replayed...). */
  packetsDropped: number;
  /** Drop counts keyed by reason. */
  readonly dropReasons: Record<string, number>;
  retransmits: number;
  timeouts: number;
  handshakes: number;
  handshakeFailures: number;
  sessionsClosed: number;
  /** Transparent re-handshakes after the BMC forgot a session. */
  sessionReestablished: number;
  commands: number;
  sockets: number;
}

export function createStats(): IpmiStats {
  return {
    packetsSent: 0,
    packetsReceived: 0,
    packetsDropped: 0,
    dropReasons: {},
    retransmits: 0,
    timeouts: 0,
    handshakes: 0,
    handshakeFailures: 0,
    sessionsClosed: 0,
    sessionReestablished: 0,
    commands: 0,
    sockets: 0,
  };
}

export function countDrop(stats: IpmiStats, reason: string): void {
  stats.packetsDropped++;
  stats.dropReasons[reason] = (stats.dropReasons[reason] ?? 0) + 1;
}

/** Minimal structured logger; compatible with pino/console-style loggers. */
export interface IpmiLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: IpmiLogger = { debug() {}, warn() {} };
