/** A throw-away CA and a server certificate for 127.0.0.1, made with the openssl CLI. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  /** PEM file of the CA that signed the server certificate. */
  readonly caFile: string;
  /** PEM file of an unrelated CA. */
  readonly otherCaFile: string;
  readonly key: Buffer;
  readonly cert: Buffer;
  /** A self-signed certificate for 127.0.0.1, as BMCs ship from the factory. */
  readonly selfSigned: { readonly key: Buffer; readonly cert: Buffer };
  cleanup(): void;
}

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'redfish-ts-pki-'));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const makeCa = (name: string) =>
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      at(`${name}.key`),
      '-out',
      at(`${name}.pem`),
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
  makeCa('test-ca');
  makeCa('other-ca');
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    at('server.key'),
    '-out',
    at('server.csr'),
  );
  writeFileSync(
    at('server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    at('server.csr'),
    '-CA',
    at('test-ca.pem'),
    '-CAkey',
    at('test-ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    at('server.ext'),
    '-out',
    at('server.pem'),
  );
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    at('self.key'),
    '-out',
    at('self.pem'),
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  );
  return {
    selfSigned: { key: readFileSync(at('self.key')), cert: readFileSync(at('self.pem')) },
    caFile: at('test-ca.pem'),
    otherCaFile: at('other-ca.pem'),
    key: readFileSync(at('server.key')),
    cert: readFileSync(at('server.pem')),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
