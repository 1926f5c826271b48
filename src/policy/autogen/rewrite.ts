/**
 * Kyverno's autogen rewrites a Pod policy for pod controllers by replacing
 * field paths in the policy's text: `object.spec` becomes the template's spec,
 * `object.metadata` the template's metadata (and the same for `oldObject`).
 * The replacement is textual, as Kyverno's is, so it also reaches messages.
 */

export interface Replacement {
  from: string;
  to: string;
}

/** Where a controller keeps its pod template. */
export const TEMPLATE_PATHS = {
  defaults: 'spec.template',
  cronjobs: 'spec.jobTemplate.spec.template',
} as const;

export type TemplateGroup = keyof typeof TEMPLATE_PATHS;

export function templateReplacements(group: TemplateGroup): Replacement[] {
  const t = TEMPLATE_PATHS[group];
  return [
    { from: 'spec', to: `${t}.spec` },
    { from: 'metadata', to: `${t}.metadata` },
  ];
}

function isIdentifierChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_]/.test(c);
}

/**
 * Replaces every `from` by `to`; with `protectNamespace`, an occurrence followed by
 * the whole segment `.namespace` is kept (ValidatingPolicy autogen keeps
 * `object.metadata.namespace` on the controller: pod templates carry none).
 */
export function replaceAll(text: string, from: string, to: string, protectNamespace: boolean): string {
  let out = '';
  let rest = text;
  for (let at = rest.indexOf(from); at !== -1; at = rest.indexOf(from)) {
    const after = rest.slice(at + from.length);
    const keep = protectNamespace && after.startsWith('.namespace') && !isIdentifierChar(after['.namespace'.length]);
    out += rest.slice(0, at) + (keep ? from : to);
    rest = after;
  }
  return out + rest;
}

/** Applies the replacements to `object.` and `oldObject.` paths anywhere in a JSON-able value. */
export function rewriteForTemplate<T>(value: T, group: TemplateGroup, protectNamespace: boolean): T {
  let text = JSON.stringify(value);
  for (const r of templateReplacements(group)) {
    for (const root of ['object.', 'oldObject.']) text = replaceAll(text, root + r.from, root + r.to, protectNamespace);
  }
  return JSON.parse(text) as T;
}
