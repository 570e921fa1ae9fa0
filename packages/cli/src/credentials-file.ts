/**
 * Credentials files (what `clients create --json` prints; the sandbox one a
 * sandbox gateway writes into its data directory), read in one place.
 */
import { CliError, readFileBytes } from './io.js';

/** The file as a JSON object; a missing, unreadable or non-JSON file is a CliError naming it. */
export function readCredentialsFile(path: string): Record<string, unknown> {
  const text = readFileBytes(path, 'credentials').toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(`The credentials file "${path}" is not JSON: ${(error as Error).message}`);
  }
  return (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {}) as Record<string, unknown>;
}

/** A field of a credentials file when it is a non-empty string; else undefined. */
export function credentialField(record: Record<string, unknown>, field: string): string | undefined {
  const value = record[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
