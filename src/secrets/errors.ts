/** Errors of `plinth seal`: bad input (a file, a flag, a certificate). Never carries a secret value. */
import { PlinthError } from '../lib/errors.js';

export class SealError extends PlinthError {
  override readonly exitCode = 2;

  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(hint ? `${message}\n    hint: ${hint}` : message, options);
  }
}
