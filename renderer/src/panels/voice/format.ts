import type { ModelDownloadProgress } from '#protocol';

/** Decimal units, as download sizes are usually quoted ("75 MB"). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** 0..1, or null while the size is unknown (an indeterminate bar). */
export function downloadFraction(progress: ModelDownloadProgress): number | null {
  if (!progress.totalBytes) return null;
  return Math.min(1, progress.receivedBytes / progress.totalBytes);
}

/** The backend's estimate, else one from the remaining bytes and the current speed. */
export function downloadEtaSeconds(progress: ModelDownloadProgress): number | null {
  if (progress.etaSeconds !== undefined) return progress.etaSeconds;
  if (!progress.totalBytes || !progress.bytesPerSecond) return null;
  return Math.max(0, progress.totalBytes - progress.receivedBytes) / progress.bytesPerSecond;
}

/** e.g. "12 MB of 75 MB · 2.1 MB/s · 30 s left". */
export function describeDownload(progress: ModelDownloadProgress): string {
  switch (progress.state) {
    case 'verifying':
      return 'Verifying…';
    case 'installed':
      return 'Installed';
    case 'cancelled':
      return 'Cancelled';
    case 'failed':
      return `Failed${progress.error ? `: ${progress.error}` : ''}`;
    case 'downloading': {
      const parts = [progress.totalBytes ? `${formatBytes(progress.receivedBytes)} of ${formatBytes(progress.totalBytes)}` : formatBytes(progress.receivedBytes)];
      if (progress.bytesPerSecond !== undefined) parts.push(`${formatBytes(progress.bytesPerSecond)}/s`);
      const eta = downloadEtaSeconds(progress);
      if (eta !== null) parts.push(`${formatEta(eta)} left`);
      return parts.join(' · ');
    }
  }
}
