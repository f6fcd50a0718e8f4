/** The rules for where requests and the work queue are kept: SQLite (one instance) or Azure Storage (several). */
import type { EnvReader } from './env';

export type StorageConfig =
  { kind: 'sqlite' } | { kind: 'blob'; connectionString: string; container: string; queue: string };

/** Azure's rule for container and queue names: 3-63 lower-case letters, digits, single hyphens. */
const STORAGE_NAME = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/;

export function storageConfig(
  r: EnvReader,
  s: { kind?: string; connectionString?: string; container: string; queue: string },
): StorageConfig {
  const kind = (s.kind ?? 'sqlite').toLowerCase();
  if (kind === 'sqlite') return { kind: 'sqlite' };
  if (kind !== 'blob') {
    r.problem(`STORAGE must be sqlite or blob, not '${kind}'.`);
    return { kind: 'sqlite' };
  }
  const { connectionString, container, queue } = s;
  if (!connectionString) r.problem('STORAGE=blob needs AZURE_STORAGE_CONNECTION_STRING.');
  if (!STORAGE_NAME.test(container))
    r.problem(
      `STORAGE_CONTAINER '${container}' is not a valid container name (3-63 lower-case letters, digits, hyphens).`,
    );
  if (!STORAGE_NAME.test(queue)) r.problem(`STORAGE_QUEUE '${queue}' is not a valid queue name.`);
  return { kind: 'blob', connectionString: connectionString ?? '', container, queue };
}
