import { readFileSync } from 'node:fs';
import { ConfigError } from '@galvanic/config';

/** The certificate and key an HTTPS server presents. */
export interface ServerTls {
  cert: Buffer;
  key: Buffer;
}

/** `[ssl] cert_file` and `key_file` read for an HTTPS server; `what` names the option asking. */
export function readServerTls(
  ssl: { cert_file?: string | undefined; key_file?: string | undefined },
  what: string,
): ServerTls {
  if (!ssl.cert_file || !ssl.key_file)
    throw new ConfigError(`${what} needs [ssl] cert_file and [ssl] key_file`);
  return { cert: readFileSync(ssl.cert_file), key: readFileSync(ssl.key_file) };
}

/** A PEM CA bundle a client verifies its server with; undefined when none is configured. */
export function readCaFile(path: string | undefined): Buffer | undefined {
  return path ? readFileSync(path) : undefined;
}
