import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
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
  // '../<b>/x' reaches into <b>; from backend/<a>/<sub>/file.ts it is '../../<b>/x'. The platform
  // and base are folders of modules: '../platform/http' is a module's index, '../platform/http/sse' is not.
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
              regex: `^${up}(?!\\.)(?!(platform|base)/[^/]+$)[^/]+/(?!index$).+`,
              message: "Import another capability or platform module through its index.ts ('../store', '../platform/http', not '../store/secret-vault').",
            },
          ],
        },
      ],
    },
  })),
  {
    // Platform modules reach each other through their index too.
    files: ['backend/platform/*/**/*.ts', 'backend/base/*/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^\\.\\./(?!\\.)[^/]+/(?!index$).+', message: "Import another platform module through its index.ts ('../http', not '../http/sse')." }] },
      ],
    },
  },
  {
    // Layers point one way: protocol and base ← platform (platform/, store/, server/) ← capabilities ← app.
    // An import cycle anywhere in the backend, or an upward import, fails the lint.
    files: ['backend/**/*.ts', 'main/**/*.ts', 'preload/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.node.json' })],
      // Without these import-x parses no .ts file it follows, and sees no cycle through one.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './backend/base/**',
              from: ['./backend/!(base|protocol)/**', './backend/*.ts'],
              message: 'base is the bottom layer: it imports only the protocol.',
            },
            {
              target: './backend/{platform,store,server}/**',
              from: ['./backend/!(base|protocol|platform|store|server)/**', './backend/*.ts'],
              message: 'The platform (platform/, store/, server/) must not import a capability or the app: pass what it needs in (a port, a callback).',
            },
            {
              target: './backend/!(base|protocol|platform|store|server|app)/**',
              from: ['./backend/app/**', './backend/*.ts'],
              message: 'A capability must not import the composition root (backend/app).',
            },
          ],
        },
      ],
    },
  },
  {
    // The renderer reaches the backend only through the protocol module and the socket, and shares
    // its runtime-free audio code (#audio, backend/base/audio).
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: 'backend/(?!protocol|base/audio)', message: 'The renderer imports only #protocol and #audio from the backend.' }] }],
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
