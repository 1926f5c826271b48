// Lint of the TypeScript sources (shared/STYLE.md): typescript-eslint's
// recommended rules and the style's budgets: a cyclomatic complexity of 10,
// blocks nested at most 3 deep, at most 4 parameters. An exception is written
// where it happens, as `// eslint-disable-next-line <rule> -- <why>`; an
// exception without a reason, or one that no longer silences anything, fails.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** An exception to a rule says why, and holds for one line, never a block or a file. */
const exceptionWithReason = {
  meta: { type: 'problem', docs: { description: 'an eslint-disable comment names one line and gives its reason after ` -- `' }, schema: [] },
  create(context) {
    return {
      Program() {
        for (const comment of context.sourceCode.getAllComments()) {
          const text = comment.value.trim();
          if (!/^eslint-disable/.test(text)) continue;
          if (!/^eslint-disable-(next-)?line\b/.test(text)) context.report({ loc: comment.loc, message: 'disable a rule for one line only (eslint-disable-next-line), not a block or a file' });
          else if (!/\s--\s+\S.{4,}/.test(text)) context.report({ loc: comment.loc, message: 'give the reason for the exception after ` -- `' });
        }
      },
    };
  },
};

export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'scratch/', 'test-artifacts/', 'gitops/', 'node_modules/', '.plinth-cache/'] },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error', reportUnusedInlineConfigs: 'error' },
  },
  tseslint.configs.recommended,
  {
    plugins: { plinth: { rules: { 'exception-with-reason': exceptionWithReason } } },
    rules: { 'plinth/exception-with-reason': 'error' },
  },
  {
    files: ['**/*.ts'],
    rules: {
      complexity: ['error', 10],
      'max-depth': ['error', 3],
      'max-params': ['error', 4],
      // As the compiler's noUnusedLocals: a leading underscore names what is left out on purpose (`const { status: _status, ...rest } = o`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests walk parsed YAML and JSON whose shape is the very thing they assert; `any` there spares casts at every step.
    files: ['test/**', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
