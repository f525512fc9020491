/** The page the window shows when the backend cannot be kept running (or cannot be started). */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export interface FailurePageContent {
  title: string;
  message: string;
  logDir: string;
}

export function failurePageHtml({ title, message, logDir }: FailurePageContent): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="color-scheme" content="light dark">
<title>Parley</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1.5rem}pre{white-space:pre-wrap;word-break:break-word;padding:.75rem;border:1px solid #8886;border-radius:6px}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<pre>${escapeHtml(message)}</pre>
<p>Details are in the log folder:</p>
<pre>${escapeHtml(logDir)}</pre>
<p>Quit Parley and start it again once the problem is fixed.</p>
</body>
</html>`;
}

/** A data: URL needs no file on disk and cannot reach anything: its CSP allows no requests. */
export function failurePageUrl(content: FailurePageContent): string {
  return `data:text/html;charset=utf-8,${encodeURIComponent(failurePageHtml(content))}`;
}
