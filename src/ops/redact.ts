/**
 * Defence in depth for secrets: every generated password, token, unseal key
 * and repository credential is registered here, and every byte Plinth writes
 * to the terminal passes through `redact`. Operations never format secret
 * values in the first place; this catches the mistake if one ever does.
 */

export const REDACTED = '[redacted]';

/**
 * Values shorter than this are not matched, deliberately. Matching them would
 * redact ordinary words and numbers all over the output (a password `admin`,
 * a PIN `1234`), and the pattern of `[redacted]` marks would then give the
 * value away, which is worse than the leak the net is there to catch. Every
 * value Plinth generates or receives from Vault is far longer (passwords 32
 * characters, tokens 64, unseal keys 44, root tokens 28 and more); only a
 * repository password typed by the user can be this short, and Plinth never
 * formats credentials in the first place. Fixed values of the declarations
 * (`admin-user: admin`) are not secrets and are not registered at all.
 */
export const MIN_SECRET_LENGTH = 6;

export class Redactor {
  private readonly values = new Set<string>();

  /** Registers a value and its base64 form (how Secrets carry it); values shorter than MIN_SECRET_LENGTH are not matched (see there). */
  add(value: string): void {
    if (value.length < MIN_SECRET_LENGTH) return;
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
