import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parseConfig } from '../../src/config/parse-config';

// deploy/kubernetes rendered by kubectl, and what the service would see in a pod of it.

/** The repository's root. */
export const ROOT = join(__dirname, '..', '..');
const KUSTOMIZE = join(ROOT, 'deploy', 'kubernetes');

/** A rendered object, as untyped JSON. */
export type K8sObject = { kind: string; metadata: { name: string; [k: string]: any }; [k: string]: any };

function kubectl(args: string[], input?: string): string {
  const r = spawnSync('kubectl', args, { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/**
 * YAML as objects, converted by kubectl itself: `label --local` touches no cluster, and removing a
 * label no object has changes nothing; it prints each object as one line of JSON.
 */
function objectsOf(yaml: string): K8sObject[] {
  const lines = kubectl(['label', '--local', '-f', '-', '-o', 'jsonpath={@}{"\\n"}', 'never-set-'], yaml);
  return lines
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as K8sObject);
}

const rendered = new Map<string, K8sObject[]>();
/** An overlay as `kubectl kustomize` renders it (once per file). */
export function render(overlay: string): K8sObject[] {
  if (!rendered.has(overlay))
    rendered.set(overlay, objectsOf(kubectl(['kustomize', join(KUSTOMIZE, 'overlays', overlay)])));
  return rendered.get(overlay)!;
}

/** The one object of a kind (and name): a test fails when there are none or several. */
export function one(objects: K8sObject[], kind: string, name?: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  expect(found.map((o) => `${o.kind}/${o.metadata.name}`)).toHaveLength(1);
  return found[0];
}

/** The example Secrets' string data by Secret name (the user creates the real ones from them). */
export function exampleSecrets(overlay: string): Map<string, Record<string, string>> {
  const files = [join(KUSTOMIZE, 'base', 'secret.example.yaml')];
  if (overlay === 'fleet') files.push(join(KUSTOMIZE, 'overlays', 'fleet', 'redis-secret.example.yaml'));
  const secrets = files.flatMap((f) => objectsOf(readFileSync(f, 'utf8')));
  return new Map(secrets.map((s) => [s.metadata.name, { ...s.stringData }]));
}

/** The container's variables that come from ConfigMaps. */
export function configMapEnv(objects: K8sObject[]): Record<string, string> {
  const [container] = one(objects, 'Deployment').spec.template.spec.containers;
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? [])
    Object.assign(env, one(objects, 'ConfigMap', from.configMapRef.name).data);
  return env;
}

/** What the service's container sees: its environment and the files of its Secret volumes. */
export function podView(objects: K8sObject[], secrets: Map<string, Record<string, string>>) {
  const pod = one(objects, 'Deployment').spec.template.spec;
  const [container] = pod.containers;
  const env = configMapEnv(objects);
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    const ref = e.valueFrom?.secretKeyRef;
    if (!ref) continue;
    const value = secrets.get(ref.name)?.[ref.key];
    if (value === undefined && !ref.optional) throw new Error(`${e.name}: no key ${ref.key} in Secret ${ref.name}`);
    if (value !== undefined) env[e.name] = value;
  }
  const files = new Map<string, string>();
  for (const mount of container.volumeMounts ?? []) {
    const secret = pod.volumes.find((v: any) => v.name === mount.name)?.secret;
    if (!secret) continue;
    const data = secrets.get(secret.secretName) ?? {};
    const items = secret.items ?? Object.keys(data).map((key) => ({ key, path: key }));
    for (const { key, path } of items)
      if (data[key] !== undefined) files.set(posix.join(mount.mountPath, path), data[key]);
  }
  const readFile = (path: string): string => {
    const text = files.get(path);
    if (text === undefined) throw new Error(`ENOENT: ${path}`);
    return text;
  };
  return { env, readFile };
}

/** The problems the service reports for a configuration, [] when it starts. */
export function problemsOf(view: ReturnType<typeof podView>): string[] {
  try {
    parseConfig(view.env, view.readFile);
    return [];
  } catch (e) {
    return [...((e as { problems?: string[] }).problems ?? [String(e)])];
  }
}

/** Every variable the service reads: the names quoted in src/config, read now, so a typo in a manifest fails. */
export function knownVariables(): Set<string> {
  const dir = join(ROOT, 'src', 'config');
  const names = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts')))
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|PORT|HOST)'/g))
      names.add(m[1]);
  return names;
}
