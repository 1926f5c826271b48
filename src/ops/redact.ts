/**
 * Defence in depth for secrets: every generated password, token, unseal key
 * and repository credential is registered here, and every byte Plinth writes
 * to the terminal passes through `redact`. Operations never format secret
 * values in the first place; this catches the mistake if one ever does.
 */

export const REDACTED = '[redacted]';

export class Redactor {
  private readonly values = new Set<string>();

  /** Registers a value and its base64 form (how Secrets carry it). Very short values are ignored: they would redact ordinary words. */
  add(value: string): void {
    if (value.length < 6) return;
    this.values.add(value);
    this.values.add(Buffer.from(value, 'utf8').toString('base64'));
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a value that contains another is replaced whole.
    for (const v of [...this.values].sort((a, b) => b.length - a.length)) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return out;
  }

  /** A writer that redacts before passing the text on. */
  wrap(target: { write(text: string): unknown }): { write(text: string): unknown } {
    return { write: (text: string) => target.write(this.redact(text)) };
  }
}
