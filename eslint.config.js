// One linter (ESLint with typescript-eslint), one formatter (Prettier, run separately).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** src/core runs in Node, the CLI and the tests: no browser, DOM, wxt or dexie. (DEVELOPERS.md) */
const coreRestrictions = {
  patterns: [
    { group: ['wxt', 'wxt/*', '#imports'], message: 'src/core is pure: no wxt.' },
    {
      group: ['webextension-polyfill', '@wxt-dev/*'],
      message: 'src/core is pure: no extension APIs.',
    },
    { group: ['dexie', 'dexie/*', 'fake-indexeddb*'], message: 'src/core is pure: no storage.' },
    {
      group: ['**/platform/*', '**/page/*', '**/sites/*', '**/ui/*', '**/cli/*'],
      message: 'src/core must not reach out of the core.',
    },
  ],
};
const domGlobals = [
  'window',
  'document',
  'navigator',
  'location',
  'chrome',
  'browser',
  'HTMLElement',
  'Element',
  'Node',
  'MutationObserver',
  'localStorage',
  'indexedDB',
].map((name) => ({ name, message: 'src/core is pure: take the environment as a parameter.' }));

export default tseslint.config(
  { ignores: ['.output/**', '.wxt/**', 'dist/**', 'node_modules/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        performance: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        structuredClone: 'readonly',
        crypto: 'readonly',
        fetch: 'readonly',
        Response: 'readonly',
        Request: 'readonly',
        Blob: 'readonly',
        atob: 'readonly',
        btoa: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='insertAdjacentHTML']",
          message: 'Never insert page-derived strings as HTML.',
        },
        {
          selector: "AssignmentExpression[left.property.name='innerHTML']",
          message: 'Never insert page-derived strings as HTML; build nodes and set textContent.',
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', coreRestrictions],
      'no-restricted-globals': ['error', ...domGlobals],
    },
  },
  {
    files: ['**/*.js', 'scripts/**', 'bin/**'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
