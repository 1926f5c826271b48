/** Findings of `plinth doctor` as text: what, where, and the fix. */
import type { Finding } from '../../checks/finding.js';

export function formatDoctor(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'No problem found: every check passed.\n';
  const lines: string[] = [];
  for (const f of findings) {
    const obj = f.object ? `${f.object.kind}/${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}` : '';
    lines.push(`${f.severity.toUpperCase()} ${f.check.replace(/^doctor\//, '')}${obj ? ` ${obj}` : ''}${f.source ? ` (${f.source.component})` : ''}`);
    lines.push(`  ${f.message}`);
    if (f.hint) lines.push(`  fix: ${f.hint}`);
    lines.push('');
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  lines.push(`${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} other finding${findings.length - errors === 1 ? '' : 's'}.`);
  return `${lines.join('\n')}\n`;
}
