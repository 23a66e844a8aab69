import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificates {
  /** The CA that signed the server certificate (PEM). */
  caFile: string;
  /** A server certificate for 127.0.0.1 and localhost (PEM). */
  certFile: string;
  keyFile: string;
}

/**
 * A throw-away CA and a server certificate it signed for 127.0.0.1 and localhost, made with
 * openssl in `folder`, for tests of TLS servers and of clients that verify them.
 */
export async function makeTestCertificates(
  folder: string,
  name = 'galvanic-test',
): Promise<TestCertificates> {
  const path = (file: string) => join(folder, `${name}-${file}`);
  const openssl = (...args: string[]) => run('openssl', args, { timeout: 60_000 });
  await openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${name} CA`,
    '-keyout',
    path('ca.key'),
    '-out',
    path('ca.pem'),
  );
  await openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    path('server.key'),
    '-out',
    path('server.csr'),
  );
  await writeFile(path('san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await openssl(
    'x509',
    '-req',
    '-in',
    path('server.csr'),
    '-CA',
    path('ca.pem'),
    '-CAkey',
    path('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    path('san.cnf'),
    '-out',
    path('server.pem'),
  );
  return { caFile: path('ca.pem'), certFile: path('server.pem'), keyFile: path('server.key') };
}
