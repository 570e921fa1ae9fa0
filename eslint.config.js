import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Boundaries between packages and between the gateway's rooms (packages/gateway/room-boundaries.json, also
 * checked over the resolved import graph by packages/gateway/test/import-cycles.test.ts): what a folder may not
 * import, type-only imports included. A room's imports are relative, so each is matched at the depth of the
 * importing file: from `src/products/payments/x.ts`, `../../edge/…` is the edge.
 */
const GATEWAY_ROOM_BOUNDARIES = Object.fromEntries(
  Object.entries(JSON.parse(readFileSync(new URL('./packages/gateway/room-boundaries.json', import.meta.url), 'utf8'))).filter(([room]) => !room.startsWith('$')),
);
const DEEPEST_GATEWAY_FOLDER = 6;

/** `fastify` → the package and its subpaths. */
const packagePatterns = (names) => names.flatMap((name) => [name, `${name}/*`]);

const DATABASE_DRIVERS = ['kysely', 'pg', 'better-sqlite3'];

function gatewayRoomBoundaries() {
  return Object.entries(GATEWAY_ROOM_BOUNDARIES).flatMap(([room, { rooms, packages = [] }]) =>
    Array.from({ length: DEEPEST_GATEWAY_FOLDER }, (_, index) => {
      const depth = index + 1;
      const patterns = [
        {
          regex: `^(\\./)?(\\.\\./){${depth}}(${rooms.join('|')})(/|\\.js$)`,
          message: `packages/gateway/src/${room}/ imports no ${rooms.join(', ')} (packages/gateway/room-boundaries.json).`,
        },
      ];
      if (packages.length > 0) patterns.push({ group: packagePatterns(packages), message: `packages/gateway/src/${room}/ uses no ${packages.join(', ')}.` });
      return {
        files: [`packages/gateway/src/${room}/${'*/'.repeat(depth - 1)}*.ts`],
        rules: { 'no-restricted-imports': ['error', { patterns }] },
      };
    }),
  );
}

function packageBoundary(files, forbiddenPackages, forbiddenSiblings, message) {
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: packagePatterns(forbiddenPackages), message },
            { regex: `^(\\.\\./)+(${forbiddenSiblings.join('|')})/`, message },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', fetch: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  packageBoundary(
    ['packages/protocol/src/**/*.ts'],
    ['@amsgate/gateway', '@amsgate/client', 'amsgate', 'fastify', '@fastify/*', ...DATABASE_DRIVERS],
    ['gateway', 'client', 'cli'],
    '@amsgate/protocol is the wire format only: nothing of the gateway, the client or the CLI, no web framework, no database.',
  ),
  packageBoundary(
    ['packages/client/src/**/*.ts'],
    ['@amsgate/gateway', 'amsgate', 'fastify', '@fastify/*', ...DATABASE_DRIVERS],
    ['gateway', 'cli'],
    '@amsgate/client installs without the gateway, a web framework or a database driver.',
  ),
  ...gatewayRoomBoundaries(),
);
