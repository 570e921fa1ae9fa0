/**
 * The version `amsgate --version` prints: the one in this package's own
 * package.json (one directory up from both `src/` and `dist/`), so it cannot
 * drift from what was published. A plain file read: no JSON module import,
 * nothing that would slow the command's start.
 */
import { readFileSync } from 'node:fs';

export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
