/**
 * The container every blob store writes into (requests, boards, scans): one client with the
 * project's storage retries, created on first use, and the HTTP status of a storage error.
 */
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { STORAGE_RETRY } from './retry';

export class BlobContainer {
  readonly client: ContainerClient;
  private created: Promise<unknown> | null = null;

  constructor(connectionString: string, containerName: string) {
    this.client = BlobServiceClient.fromConnectionString(connectionString, {
      retryOptions: STORAGE_RETRY,
    }).getContainerClient(containerName);
  }

  /** Resolves once the container exists (created by the first caller; later ones share it). */
  ready(): Promise<unknown> {
    this.created ??= this.client.createIfNotExists();
    return this.created;
  }
}

/** The HTTP status of a storage SDK error (0 when it has none). */
export const storageStatus = (e: unknown): number => (e as { statusCode?: number }).statusCode ?? 0;
