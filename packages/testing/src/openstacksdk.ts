import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's Python, where `python3-openstacksdk` is installed (a `python3` on PATH may be another). */
const DEBIAN_PYTHON = process.env.GALVANIC_TEST_PYTHON ?? '/usr/bin/python3';

/** Where the snippet's `result` is printed, apart from anything else the snippet prints. */
const RESULT_MARKER = '@@galvanic-openstacksdk-result@@';

/**
 * The Python that wraps a snippet: it connects to the cloud of the clouds.yaml beside it, runs
 * the snippet with `conn` (an `openstack.connection.Connection`) and `exc` (`openstack.exceptions`)
 * in scope, and prints the snippet's `result` as JSON after a marker. A Python exception is
 * printed as `{"error": class name, "status": HTTP status, "message": ...}` instead, so tests can
 * assert on the SDK's own exceptions.
 */
function wrapper(snippet: string): string {
  const body = snippet
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return `import json, sys
import openstack
from openstack import exceptions as exc

conn = openstack.connect(cloud='galvanic')
result = None
try:
${body}
except exc.SDKException as error:
    result = {'error': type(error).__name__,
              'status': getattr(error, 'status_code', None),
              'message': str(error)}
print(${JSON.stringify(RESULT_MARKER)})
print(json.dumps(result, default=str))
`;
}

export interface OpenstacksdkOptions {
  /** The microversion the SDK's baremetal proxy defaults to (`baremetal_api_version`). */
  apiVersion?: string;
  /** Bound of the Python process, in milliseconds (60 s unless given). */
  timeoutMs?: number;
}

/**
 * Runs a Python snippet with the real openstacksdk (Debian's `python3-openstacksdk`) against a
 * Galvanic endpoint, as an operator's script would (no auth: `auth_type: none`, the baremetal
 * endpoint given), from a clouds.yaml in a temporary directory. The snippet sees `conn` and
 * `exc` and assigns what the test reads to `result` (anything JSON can show); resources are
 * best turned into dicts with `.to_dict()` or read attribute by attribute.
 */
export async function openstacksdk(
  endpoint: string,
  snippet: string,
  options: OpenstacksdkOptions = {},
): Promise<unknown> {
  const dir = await mkdtemp(join(tmpdir(), 'galvanic-openstacksdk-'));
  try {
    const cloud = [
      'clouds:',
      '  galvanic:',
      '    auth_type: none',
      `    baremetal_endpoint_override: ${JSON.stringify(endpoint)}`,
      ...(options.apiVersion ? [`    baremetal_api_version: '${options.apiVersion}'`] : []),
    ].join('\n');
    await writeFile(join(dir, 'clouds.yaml'), `${cloud}\n`);
    const script = join(dir, 'snippet.py');
    await writeFile(script, wrapper(snippet));
    const env: Record<string, string | undefined> = { ...process.env };
    for (const key of Object.keys(env)) if (key.startsWith('OS_')) delete env[key];
    env.OS_CLIENT_CONFIG_FILE = join(dir, 'clouds.yaml');
    const { stdout } = await run(DEBIAN_PYTHON, [script], {
      env,
      cwd: dir,
      timeout: options.timeoutMs ?? 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const at = stdout.lastIndexOf(RESULT_MARKER);
    if (at < 0) throw new Error(`openstacksdk snippet printed no result: ${stdout}`);
    return JSON.parse(stdout.slice(at + RESULT_MARKER.length)) as unknown;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
