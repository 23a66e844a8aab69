import { MissingParameterValue } from '@galvanic/driver-sdk';

/** Names of the fields of `info` that are absent or empty. */
export function missingFields(
  info: Readonly<Record<string, unknown>>,
  names: readonly string[],
): string[] {
  return names.filter((name) => (info[name] ?? '') === '');
}

/** Throws MissingParameterValue listing the missing fields the way Ironic's deploy utils do. */
export function requireFields(
  info: Readonly<Record<string, unknown>>,
  names: readonly string[],
  problem: string,
): void {
  const missing = missingFields(info, names);
  if (missing.length > 0) {
    const list = missing.map((name) => `'${name}'`).join(', ');
    throw new MissingParameterValue(`${problem}. Missing are: [${list}]`);
  }
}
