import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'tests/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // The protocol is shared with the renderer: it must stay free of Node and of the backend.
    files: ['backend/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', '../*', 'ws', 'knex', 'pino', 'better-sqlite3'] }],
    },
  },
  // Capabilities talk to each other through their index.ts only: from backend/<a>/file.ts,
  // '../<b>/x' reaches into <b>; from backend/<a>/<sub>/file.ts it is '../../<b>/x'.
  ...[
    { files: ['backend/*/*.ts'], up: '\\.\\./' },
    { files: ['backend/*/*/*.ts'], up: '\\.\\./\\.\\./' },
    { files: ['backend/*/*/*/*.ts'], up: '\\.\\./\\.\\./\\.\\./' },
  ].map(({ files, up }) => ({
    files,
    ignores: ['backend/protocol/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^${up}(?!\\.)[^/]+/(?!index$).+`,
              message: "Import another capability through its index.ts ('../store', not '../store/secret-vault').",
            },
          ],
        },
      ],
    },
  })),
  {
    // The renderer reaches the backend only through the protocol module and the socket.
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: 'backend/(?!protocol)', message: 'The renderer imports only #protocol from the backend.' }] }],
    },
  },
  // A panel imports no other panel's files (each is loaded on its own when shown): what two panels
  // share lives outside panels/. From renderer/src/panels/<a>/file.tsx, '../<b>/x' is another panel;
  // from panels/<a>/<sub>/file.tsx it is '../../<b>/x'. Repeats the rule above: options do not merge.
  ...[
    { files: ['renderer/src/panels/*/*.{ts,tsx}'], up: '\\.\\./' },
    { files: ['renderer/src/panels/*/*/*.{ts,tsx}'], up: '\\.\\./\\.\\./' },
  ].map(({ files, up }) => ({
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: 'backend/(?!protocol)', message: 'The renderer imports only #protocol from the backend.' },
            { regex: `^${up}(?!\\.)[^/]+(/|$)`, message: "A panel imports no other panel's files: move what both need out of panels/ (e.g. renderer/src/providers)." },
            { regex: '(^|/)panels/', message: "A panel imports no other panel's files: move what both need out of panels/." },
          ],
        },
      ],
    },
  })),
);
