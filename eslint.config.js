// Flat ESLint config: JavaScript's and TypeScript's recommended rules, Svelte's for the components, and
// eslint-config-prettier last so that formatting is Prettier's business alone.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  { ignores: ['dist/', 'node_modules/', 'test-output/', 'data/generated/', '.data/', 'coverage/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  prettier,
  ...svelte.configs.prettier,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      // `_name` marks a parameter kept for its position (Express handlers, callbacks).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      // Tests and decoders handle data whose shape is checked elsewhere (zod at the door, the tests' own asserts).
      '@typescript-eslint/no-explicit-any': 'off',
      // TypeScript checks names itself (and knows type-only globals such as GeoJSON's namespace).
      'no-undef': 'off',
      // It flags every Map, Set or URLSearchParams built inside a function as if it were component state; ours are
      // temporaries (a lookup table, a query string being assembled), and state uses $state.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
);
