/**
 * A throw-away CA and a server certificate for 127.0.0.1, ::1 and localhost, made with the
 * `openssl` command-line tool in a temporary directory (Node has no X.509 generator). Keys are
 * P-256, certificates valid for two days.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TlsMaterial {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
  /** A file holding `caPem`, if there is one (shown as the emulator's `caPath`). */
  readonly caPath?: string;
}

export interface GeneratedTls extends TlsMaterial {
  readonly dir: string;
  readonly caPath: string;
  readonly certPath: string;
  readonly keyPath: string;
  /** Removes the temporary directory. */
  remove(): Promise<void>;
}

const SERVER_EXTENSIONS = [
  'basicConstraints = critical, CA:FALSE',
  'keyUsage = critical, digitalSignature, keyEncipherment',
  'extendedKeyUsage = serverAuth',
  'subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1',
  'subjectKeyIdentifier = hash',
  'authorityKeyIdentifier = keyid, issuer',
  '',
].join('\n');

/** Directories still to remove; whatever close() did not remove goes when the process exits. */
const liveDirectories = new Set<string>();

function removeLeftovers(): void {
  for (const dir of liveDirectories) rmSync(dir, { recursive: true, force: true });
  liveDirectories.clear();
}

async function openssl(dir: string, args: readonly string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd: dir, timeout: 30_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim() || String(error)}`);
  }
}

export async function generateTestTls(): Promise<GeneratedTls> {
  const dir = await mkdtemp(join(tmpdir(), 'redfish-emulator-tls-'));
  if (liveDirectories.size === 0) process.once('exit', removeLeftovers);
  liveDirectories.add(dir);
  const remove = async (): Promise<void> => {
    liveDirectories.delete(dir);
    if (liveDirectories.size === 0) process.off('exit', removeLeftovers);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    await openssl(dir, [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/O=Galvanic/CN=Galvanic Redfish emulator test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    await openssl(dir, [
      'req',
      ...ec,
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/O=Galvanic/CN=localhost',
    ]);
    await writeFile(join(dir, 'server.ext'), SERVER_EXTENSIONS);
    await openssl(dir, [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      '-days',
      '2',
      '-extfile',
      'server.ext',
    ]);
    // The CA key is no longer needed: nothing else can be signed with this CA.
    await rm(join(dir, 'ca.key'));
    const [caPem, certPem, keyPem] = await Promise.all(
      ['ca.pem', 'server.pem', 'server.key'].map((name) => readFile(join(dir, name), 'utf8')),
    );
    return {
      dir,
      caPath: join(dir, 'ca.pem'),
      certPath: join(dir, 'server.pem'),
      keyPath: join(dir, 'server.key'),
      caPem: caPem as string,
      certPem: certPem as string,
      keyPem: keyPem as string,
      remove,
    };
  } catch (error) {
    await remove();
    throw error;
  }
}
