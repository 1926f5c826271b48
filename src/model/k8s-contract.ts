/** The least a manifest Plinth reads back must be to be a Kubernetes object: apiVersion, kind, metadata.name. */
import { z } from 'zod';

const text = (what: string) => z.string({ error: `${what}: a non-empty string` }).min(1, { error: `${what}: a non-empty string` });
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export const manifestSchema = z.looseObject(
  {
    apiVersion: text('the API version'),
    kind: text('the kind'),
    metadata: z.looseObject(
      { name: text('the object name'), namespace: z.string({ error: 'the namespace: a string' }).regex(DNS_LABEL, { error: 'the namespace: a DNS-1123 label' }).optional() },
      { error: 'metadata: a map with name' },
    ),
  },
  { error: 'a Kubernetes object: a map with apiVersion, kind and metadata.name' },
);

export type ManifestObject = z.infer<typeof manifestSchema>;


/** A Kustomize file (`kustomization.yaml`): a config object, with apiVersion and kind but no metadata. */
export const kustomizeConfigSchema = z.looseObject({ apiVersion: text('the API version'), kind: text('the kind') }, { error: 'a Kustomization: a map with apiVersion and kind' });
