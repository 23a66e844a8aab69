/**
 * Whether an error means the database connection failed (refused, reset, ended, the server
 * shutting down or restarting) rather than the statement being wrong: the same statement may
 * succeed once the database is back.
 */
export function isDatabaseConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // SQLSTATE class 08 (connection exception); 57P01-57P03: admin/crash shutdown, cannot connect now.
    if (code.startsWith('08') || ['57P01', '57P02', '57P03'].includes(code)) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN'].includes(code))
      return true;
  }
  return /Connection terminated|terminated unexpectedly|connection error|timeout exceeded when trying to connect|Client was closed/i.test(
    error.message,
  );
}
