/**
 * Retries of Azure Storage calls (blob store, boards, work queue). The SDK default (4 tries,
 * 4 s doubling) holds a click for about half a minute when storage is down; requests here are
 * small and in-region, so three quick tries and a 15 s deadline per try are enough. When
 * storage stays down the call fails: nothing is decided or switched without being recorded.
 */
export const STORAGE_RETRY = { maxTries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 2000, tryTimeoutInMs: 15_000 };
