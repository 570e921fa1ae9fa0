/** The database URL rules, without the drivers: which URLs are PostgreSQL, how one is shown, the SQLite file name. */
export const SQLITE_FILE = 'amsgate.sqlite';

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//.test(url);
}

/** The URL with its password replaced by `***`, for logs and banners. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]*)@/, '//$1:***@');
}
