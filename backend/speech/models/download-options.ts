import type { DownloadProgress } from './model-types';

export interface DownloadOptions {
  /** Aborting stops waiting; the transfer itself stops once no caller is waiting for it any more. */
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
}
