/** The work queue across instances: Azure Storage Queues (visibility timeout, pop receipts). */
import { STORAGE_RETRY } from '../storage/retry';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import type { Job, ReceivedJob, WorkQueue } from '../../ports/queue';

export class StorageWorkQueue implements WorkQueue {
  private readonly queue: QueueClient;
  private ready: Promise<unknown> | null = null;

  constructor(connectionString: string, queueName: string) {
    this.queue = QueueServiceClient.fromConnectionString(connectionString, {
      retryOptions: STORAGE_RETRY,
    }).getQueueClient(queueName);
  }

  private init(): Promise<unknown> {
    this.ready ??= this.queue.createIfNotExists();
    return this.ready;
  }

  async enqueue(job: Job, delayMs = 0): Promise<void> {
    await this.init();
    // Visibility is in whole seconds, at most 7 days.
    await this.queue.sendMessage(JSON.stringify(job), {
      visibilityTimeout: Math.min(Math.ceil(Math.max(0, delayMs) / 1000), 7 * 24 * 3600),
    });
  }

  async receive(visibilityMs: number): Promise<ReceivedJob | null> {
    await this.init();
    const res = await this.queue.receiveMessages({
      numberOfMessages: 1,
      visibilityTimeout: Math.max(1, Math.ceil(visibilityMs / 1000)),
    });
    const m = res.receivedMessageItems[0];
    if (!m) return null;
    return {
      job: JSON.parse(m.messageText) as Job,
      dequeueCount: m.dequeueCount,
      receipt: m.popReceipt,
      id: m.messageId,
    };
  }

  async extend(job: ReceivedJob, visibilityMs: number): Promise<boolean> {
    try {
      const r = await this.queue.updateMessage(
        job.id,
        job.receipt,
        undefined,
        Math.max(1, Math.ceil(visibilityMs / 1000)),
      );
      if (r.popReceipt) job.receipt = r.popReceipt;
      return true;
    } catch (e) {
      if (handedOutAgain(e)) return false;
      throw e;
    }
  }

  async complete(job: ReceivedJob): Promise<void> {
    try {
      await this.queue.deleteMessage(job.id, job.receipt);
    } catch (e) {
      // Handed out again (the pop receipt changed) or already gone: the handler is idempotent.
      if (!handedOutAgain(e)) throw e;
    }
  }

  async close(): Promise<void> {}
}

/** 404: the message is gone; 400 PopReceiptMismatch: it was handed out again since (a new receipt). */
function handedOutAgain(e: unknown): boolean {
  const err = e as { statusCode?: number; code?: string };
  return err.statusCode === 404 || (err.statusCode === 400 && err.code === 'PopReceiptMismatch');
}
