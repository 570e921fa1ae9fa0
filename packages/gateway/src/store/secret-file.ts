import { chmodSync, renameSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

/** Writes a file readable by its owner only, whole or not at all (temp file, then rename). */
export function writeSecretFile(path: string, content: string): void {
  // A fresh name, created exclusively ('wx'): never written through a file or symlink already there.
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600, flag: 'wx' });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
