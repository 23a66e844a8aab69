import { existsSync, readFileSync } from 'node:fs';

/** What a VM wrote to its serial console file so far ('' before it exists). */
export function readConsole(path: string): string {
  return existsSync(path) ? readFileSync(path, 'latin1') : '';
}

/**
 * Resolves with the console text once `pattern` appears in it; rejects after `timeoutMs` with the
 * console's last lines, so a failed boot explains itself.
 */
export async function waitForConsole(
  path: string,
  pattern: RegExp | string,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = readConsole(path);
    if (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)) return text;
    if (Date.now() > deadline) {
      throw new Error(
        `${String(pattern)} did not appear on the console within ${timeoutMs} ms; it ends with:\n${text.slice(-2000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
