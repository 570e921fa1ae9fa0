/**
 * `amsgate collections --postman FILE --bruno DIR [--base-url URL]`: writes
 * the Postman and Bruno collections of the AMS endpoints (`../collections.ts`).
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BRUNO_ENVIRONMENT, brunoCollection, postmanCollection } from '../collections.js';
import { CliError, EXIT } from '../io.js';
import { httpUrlArgument } from '../url-argument.js';

export interface CollectionsOptions {
  postman?: string;
  bruno?: string;
  baseUrl: string;
}

interface CollectionsIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export function collections(options: CollectionsOptions, io: CollectionsIo): void {
  if (options.postman === undefined && options.bruno === undefined) {
    throw new CliError('Nothing to write: pass --postman FILE (- for standard output) and/or --bruno DIR');
  }
  const baseUrl = httpUrlArgument(options.baseUrl, '--base-url', 'http://127.0.0.1:8081').href.replace(/\/$/, '');
  // Files first checked, then written: a refused Bruno directory leaves no Postman file behind.
  if (options.bruno !== undefined) checkBrunoDirectory(options.bruno);
  const report = options.postman === '-' ? io.err : io.out;

  if (options.postman !== undefined) {
    const text = `${JSON.stringify(postmanCollection(baseUrl), null, 2)}\n`;
    if (options.postman === '-') {
      io.out(text.trimEnd());
    } else {
      write(options.postman, text);
      report(`Postman collection: ${options.postman} (import it in Postman or Insomnia; run it with newman run ${options.postman})`);
    }
  }
  if (options.bruno !== undefined) {
    const files = brunoCollection(baseUrl);
    for (const [path, text] of files) write(join(options.bruno, ...path.split('/')), text);
    report(`Bruno collection: ${options.bruno} (${files.size} files; open it in Bruno, or run it with cd ${options.bruno} && bru run --env ${BRUNO_ENVIRONMENT})`);
  }
  report(`Requests go to ${baseUrl}: start the signing proxy with \`amsgate proxy\` (or change the baseUrl variable).`);
}

/** A new or empty directory, or a Bruno collection (its files are rewritten); anything else is refused. */
function checkBrunoDirectory(dir: string): void {
  if (!existsSync(dir)) return;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    throw new CliError(`--bruno ${dir}: ${(error as Error).message}`);
  }
  if (entries.length > 0 && !entries.includes('bruno.json')) {
    throw new CliError(`--bruno ${dir} is a directory that is neither empty nor a Bruno collection: name a new directory`);
  }
}

function write(path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (error) {
    throw new CliError(`Cannot write ${path}: ${(error as Error).message}`, EXIT.failed);
  }
}
