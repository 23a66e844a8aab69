import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import {
  checkForUnknownOptions,
  coreOptionGroups,
  readConfigFile,
  readEnvironment,
} from '@galvanic/config';
import { ENTRY_POINTS } from '../../scripts/build-dist';

const ROOT = resolve(import.meta.dirname, '../..');

/** Whether the image runs `entry`: one of the entry points scripts/build-dist.ts bundles. */
function imageHas(entry: string): boolean {
  const source = ENTRY_POINTS[entry.replace(/^bin\//, '')];
  return source !== undefined && existsSync(join(ROOT, source));
}

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

/** Every variable a deployment file sets must name a real option: a typo would silently do nothing. */
function expectKnownOptions(env: Record<string, string>): void {
  expect(() => checkForUnknownOptions(readEnvironment(env), coreOptionGroups)).not.toThrow();
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), {
    merge: true,
  }) as {
    services: Record<string, ComposeService>;
  };

  it('runs postgres, rabbitmq, migrations, the api and two conductors', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['api', 'conductor-1', 'conductor-2', 'migrate', 'postgres', 'rabbitmq'].sort(),
    );
  });

  it('gives each conductor its own host name and points at files that exist', () => {
    const hosts = ['conductor-1', 'conductor-2'].map(
      (name) => compose.services[name]!.environment!.GALVANIC_DEFAULT__HOST,
    );
    expect(new Set(hosts).size).toBe(2);
    for (const service of ['api', 'conductor-1', 'conductor-2', 'migrate']) {
      const entry = compose.services[service]!.command![0]!;
      expect(imageHas(entry), entry).toBe(true);
      expectKnownOptions(compose.services[service]!.environment!);
    }
  });

  it('authenticates API clients by default, with the users in a secret', () => {
    const api = compose.services.api as ComposeService & { secrets?: string[] };
    expect(api.environment!.GALVANIC_DEFAULT__AUTH_STRATEGY).toBe('http_basic');
    expect(api.environment!.GALVANIC_DEFAULT__HTTP_BASIC_AUTH_USER_FILE).toBe(
      '/run/secrets/galvanic_htpasswd',
    );
    expect(api.secrets).toContain('galvanic_htpasswd');
  });

  it('starts services only after migrations ran', () => {
    expect(compose.services.api!.depends_on!.migrate!.condition).toBe(
      'service_completed_successfully',
    );
  });

  it('mounts a config file whose options all exist', () => {
    expect(() =>
      checkForUnknownOptions(readConfigFile(join(ROOT, 'deploy/galvanic.conf')), coreOptionGroups),
    ).not.toThrow();
  });
});

interface Container {
  args: string[];
  env?: { name: string; value?: string }[];
  livenessProbe?: { httpGet: { path: string } };
  readinessProbe?: { httpGet: { path: string } };
}

interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  data?: Record<string, string>;
  spec?: {
    template?: { spec: { containers: Container[]; terminationGracePeriodSeconds?: number } };
  };
}

describe('Kubernetes manifests', () => {
  const dir = join(ROOT, 'deploy/kubernetes');
  const documents = readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map(
        (doc) => doc.toJS() as K8sObject,
      ),
    );

  it('authenticate API clients by default, with the users mounted from a Secret', () => {
    const config = documents.find((d) => d.kind === 'ConfigMap')! as K8sObject & {
      data: Record<string, string>;
    };
    const conf = config.data['galvanic.conf']!;
    expect(conf).toMatch(/^auth_strategy = http_basic$/m);
    expect(conf).toMatch(/^http_basic_auth_user_file = \/var\/run\/galvanic\/auth\/htpasswd$/m);
    expect(
      documents.some((d) => d.kind === 'Secret' && d.metadata?.name === 'galvanic-htpasswd'),
    ).toBe(true);
    const api = JSON.stringify(documents.find((d) => d.metadata?.name === 'galvanic-api'));
    expect(api).toContain('"secretName":"galvanic-htpasswd"');
    expect(api).toContain('"mountPath":"/var/run/galvanic/auth"');
  });

  it('are well-formed objects with a kind and a name', () => {
    for (const document of documents) {
      expect(document.apiVersion).toBeTruthy();
      expect(document.kind).toBeTruthy();
      expect(document.metadata?.name).toBeTruthy();
    }
  });

  it('run real entry points with known options and Kubernetes probes', () => {
    const workloads = documents.filter((d) => d.kind === 'Deployment' || d.kind === 'Job');
    expect(workloads.map((d) => d.metadata?.name).sort()).toEqual([
      'galvanic-api',
      'galvanic-conductor',
      'galvanic-db-migrate',
    ]);
    for (const workload of workloads) {
      for (const container of workload.spec!.template!.spec.containers) {
        expect(imageHas(container.args[0]!), container.args[0]).toBe(true);
        const env = Object.fromEntries(
          (container.env ?? []).map((e) => [e.name, e.value ?? 'from-field']),
        );
        expectKnownOptions(env);
        if (workload.kind === 'Deployment') {
          expect(container.livenessProbe?.httpGet.path).toBe('/healthz');
          expect(container.readinessProbe?.httpGet.path).toBe('/readyz');
        }
      }
    }
  });

  it('give conductors more time to stop than their graceful shutdown timeout', () => {
    const conductor = documents.find((d) => d.metadata?.name === 'galvanic-conductor')!;
    const config = documents.find((d) => d.kind === 'ConfigMap')!;
    const timeout = Number(
      /graceful_shutdown_timeout = (\d+)/.exec(config.data!['galvanic.conf']!)![1],
    );
    expect(conductor.spec!.template!.spec.terminationGracePeriodSeconds).toBeGreaterThan(timeout);
  });
});
