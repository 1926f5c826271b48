/**
 * `plinth check --format sarif`: SARIF 2.1.0 for code-scanning tools. One
 * rule per checker; each result points at the file in the GitOps repository
 * (when known) and names the Kubernetes object as a logical location.
 */
import type { CheckReport } from '../checks/run.js';
import type { Finding, Severity } from '../checks/finding.js';
import { objectText } from './check-text.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

const RULES: Record<string, string> = {
  render: 'Every enabled component renders with Helm',
  values: 'Every values key is read by its chart',
  budget: 'Declared budgets match what the chart renders',
  schema: 'Objects match the Kubernetes and CRD schemas (strict)',
  graph: 'Dependencies, CRDs, webhooks and names are in order',
  hygiene: 'No secret in Git, pinned versions and images, requests and limits, required labels',
  footprint: 'Every pool fits its requests',
  policy: 'Platform policies pass',
  plan: 'Tiers survive the failure scenarios',
  repo: 'The GitOps repository is what plan writes',
  mirror: 'The chart mirror serves every pinned chart and upstream manifest',
};

export interface SarifLocations {
  /** The GitOps repository, relative to where the tool runs (default `gitops`). */
  repoRoot?: string;
  /** plinth.yaml as the user named it; undefined for the built-in example (no file to point at). */
  configFile?: string;
  /** The file of a component in the repository (its values), for findings on objects its chart renders. */
  componentFile?: (component: string) => string | undefined;
}

/** Where a finding is fixed: its file in the repository, else its component's file, else plinth.yaml. */
function locationOf(f: Finding, where: SarifLocations): string | undefined {
  const root = where.repoRoot ?? 'gitops';
  const file = f.source?.file ?? (f.source?.component ? where.componentFile?.(f.source.component) : undefined);
  return file ? `${root}/${file}` : where.configFile;
}

export function checkSarif(report: CheckReport, version: string, where: SarifLocations = {}): string {
  const rules = report.checkers.map((id) => ({ id, name: id, shortDescription: { text: RULES[id] ?? id }, helpUri: 'https://github.com/plinth-dev/plinth#plinth-check' }));
  const results = report.findings.map((f: Finding) => {
    const uri = locationOf(f, where);
    return {
      ruleId: f.check,
      ruleIndex: report.checkers.indexOf(f.check),
      level: LEVEL[f.severity],
      message: { text: `${[objectText(f), f.path].filter(Boolean).join(' ')}${objectText(f) || f.path ? ': ' : ''}${f.message}${f.hint ? ` (hint: ${f.hint})` : ''}` },
      locations: [
        {
          ...(uri ? { physicalLocation: { artifactLocation: { uri } } } : {}),
          logicalLocations: [{ fullyQualifiedName: [f.source?.component, objectText(f)].filter(Boolean).join('/') || 'platform', kind: f.object ? 'resource' : 'module' }],
        },
      ],
      properties: { component: f.source?.component, object: f.object, path: f.path },
    };
  });
  return `${JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'plinth', version, informationUri: 'https://github.com/plinth-dev/plinth', rules } }, results }],
    },
    null,
    2,
  )}\n`;
}
