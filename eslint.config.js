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
  {
    // Audio code shared with the renderer (#audio): no Node, no Buffer, nothing of the backend but #protocol.
    files: ['backend/base/audio/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', '../*', 'ws', 'knex', 'pino', 'better-sqlite3'] }],
      'no-restricted-globals': ['error', { name: 'Buffer', message: 'backend/base/audio runs in the renderer too: use Uint8Array and DataView.' }, 'process'],
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
    ignores: ['backend/protocol/**', 'backend/base/audio/**'],
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
    // The renderer reaches the backend only through the protocol module and the socket, and shares
    // its runtime-free audio code (#audio, backend/base/audio).
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: 'backend/(?!protocol|base/audio)', message: 'The renderer imports only #protocol and #audio from the backend.' }] }],
    },
  },
);
