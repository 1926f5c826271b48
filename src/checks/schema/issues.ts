/** Schema validation problems, one per place, worded for people. */

export interface SchemaIssue {
  /** Dotted path in the object, e.g. `spec.template.spec.containers[0].resources.limits.memory`. */
  path: string;
  message: string;
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** `/spec/containers/0/name` → `spec.containers[0].name`. */
export function dottedPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

/** Ajv errors grouped by place; a `oneOf` of type/format alternatives becomes one message. */
export function ajvIssues(errors: readonly AjvError[]): SchemaIssue[] {
  const byPath = new Map<string, AjvError[]>();
  for (const e of errors) {
    let path = dottedPath(e.instancePath);
    if (e.keyword === 'required') path = path ? `${path}.${String(e.params.missingProperty)}` : String(e.params.missingProperty);
    if (e.keyword === 'additionalProperties') path = path ? `${path}.${String(e.params.additionalProperty)}` : String(e.params.additionalProperty);
    byPath.set(path, [...(byPath.get(path) ?? []), e]);
  }
  const issues: SchemaIssue[] = [];
  for (const [path, errs] of byPath) {
    const kinds = new Set(errs.map((e) => e.keyword));
    let message: string;
    if (kinds.has('additionalProperties')) message = `unknown field ${JSON.stringify(path.split('.').pop())}`;
    else if (kinds.has('required')) message = 'missing required field';
    else if (kinds.has('format')) message = `not a valid ${String(errs.find((e) => e.keyword === 'format')!.params.format)}`;
    else if (kinds.has('enum')) message = `must be one of ${(errs.find((e) => e.keyword === 'enum')!.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    else if (kinds.has('type')) message = `must be ${errs.filter((e) => e.keyword === 'type').map((e) => String(e.params.type)).join(' or ')}`;
    else message = errs[0]!.message ?? errs[0]!.keyword;
    issues.push({ path, message });
  }
  return issues;
}
