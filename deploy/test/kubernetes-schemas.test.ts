import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../..');
const MANIFESTS = join(ROOT, 'deploy/kubernetes');

interface TypeMeta {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
  data?: Record<string, string>;
}

/** A model class of kubernetes-models: its `validate()` runs the ajv validator compiled from the schema. */
type ModelClass = new (data: unknown) => { validate(): void };

/** Every .yaml file under `dir`, recursively. */
function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return entry.name.endsWith('.yaml') ? [path] : [];
  });
}

/**
 * The schema of an object's kind, offline: Kubernetes' own (from its OpenAPI document, in
 * kubernetes-models) or KEDA's (from its CRDs, in @kubernetes-models/keda). An unknown kind fails.
 */
async function modelOf({ apiVersion, kind }: TypeMeta): Promise<ModelClass> {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const modules: Record<string, () => Promise<Record<string, unknown>>> = {
    'v1/ConfigMap': () => import('kubernetes-models/v1/ConfigMap'),
    'v1/Secret': () => import('kubernetes-models/v1/Secret'),
    'v1/Service': () => import('kubernetes-models/v1/Service'),
    'apps/v1/Deployment': () => import('kubernetes-models/apps/v1/Deployment'),
    'batch/v1/Job': () => import('kubernetes-models/batch/v1/Job'),
    'autoscaling/v2/HorizontalPodAutoscaler': () =>
      import('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'),
    'policy/v1/PodDisruptionBudget': () =>
      import('kubernetes-models/policy/v1/PodDisruptionBudget'),
    'keda.sh/v1alpha1/ScaledObject': () =>
      import('@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject'),
  };
  const key = [group, version, kind].filter(Boolean).join('/');
  const load = modules[key];
  if (!load) throw new Error(`no schema for ${apiVersion} ${kind}: add it to modelOf`);
  return (await load())[kind] as ModelClass;
}

const documents = yamlFiles(MANIFESTS).flatMap((file) =>
  parseAllDocuments(readFileSync(file, 'utf8')).map((doc, index) => ({
    where: `${relative(ROOT, file)}#${index}`,
    object: doc.toJS() as TypeMeta,
  })),
);

describe('Kubernetes manifests against the Kubernetes and KEDA schemas', () => {
  it('finds the manifests, autoscalers included', () => {
    const kinds = documents.map((d) => d.object.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'Deployment',
        'Job',
        'ConfigMap',
        'ScaledObject',
        'HorizontalPodAutoscaler',
      ]),
    );
  });

  it.each(documents.map((d) => [d.where, d.object] as const))('%s is valid', async (_, object) => {
    const Model = await modelOf(object);
    expect(() => new Model(object).validate()).not.toThrow();
  });

  it('the schemas catch a wrong manifest', async () => {
    const Deployment = await modelOf({ apiVersion: 'apps/v1', kind: 'Deployment' });
    const conductor = documents.find((d) => d.object.kind === 'Deployment')!.object as unknown as {
      spec: { replicas: unknown };
    };
    const broken = { ...conductor, spec: { ...conductor.spec, replicas: 'two' } };
    expect(() => new Deployment(broken).validate()).toThrow(/replicas must be integer/);
    const ScaledObject = await modelOf({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject' });
    expect(() =>
      new ScaledObject({ metadata: { name: 'x' }, spec: { triggers: [] } }).validate(),
    ).toThrow(/scaleTargetRef/);
  });

  it('the autoscalers target the conductor Deployment and agree with each other', () => {
    const scaled = documents.find((d) => d.object.kind === 'ScaledObject')!.object as unknown as {
      spec: { scaleTargetRef: { name: string }; minReplicaCount: number; maxReplicaCount: number };
    };
    const hpa = documents.find((d) => d.object.kind === 'HorizontalPodAutoscaler')!
      .object as unknown as {
      spec: { scaleTargetRef: { name: string }; minReplicas: number; maxReplicas: number };
    };
    expect(scaled.spec.scaleTargetRef.name).toBe('galvanic-conductor');
    expect(hpa.spec.scaleTargetRef.name).toBe('galvanic-conductor');
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([
      scaled.spec.minReplicaCount,
      scaled.spec.maxReplicaCount,
    ]);
  });
});

describe('the Prometheus adapter rules', () => {
  const schema = JSON.parse(
    readFileSync(join(ROOT, 'deploy/test/schemas/prometheus-adapter-config.schema.json'), 'utf8'),
  ) as object;
  const validate = new Ajv({ allErrors: true }).compile(schema);
  const configMap = documents.find((d) => d.object.data?.['config.yaml'])!.object;
  const config = parse(configMap.data!['config.yaml']!) as {
    rules: { name: { as: string } }[];
  };

  it('match the adapter configuration schema', () => {
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ rules: [{ seriesQuery: 'x', metricsQuery: 'y', nmae: {} }] })).toBe(false);
    expect(validate({ rules: [{ metricsQuery: 'y' }] })).toBe(false);
  });

  it('serve every custom metric the HPA scales on', () => {
    const hpa = documents.find((d) => d.object.kind === 'HorizontalPodAutoscaler')!
      .object as unknown as { spec: { metrics: { pods: { metric: { name: string } } }[] } };
    const served = config.rules.map((rule) => rule.name.as);
    for (const metric of hpa.spec.metrics) expect(served).toContain(metric.pods.metric.name);
  });
});
