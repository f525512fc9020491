import { describe, expect, it } from 'vitest';
import { failurePageHtml, failurePageUrl } from '../../main/failure-page';

describe('failure page', () => {
  const content = { title: 'The Parley backend keeps failing', message: 'port <script>alert(1)</script> & "x"', logDir: '/home/me/.config/Parley/logs' };

  it('shows the message and the log folder, escaped', () => {
    const html = failurePageHtml(content);
    expect(html).toContain('port &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('/home/me/.config/Parley/logs');
  });

  it('is a self-contained data URL that allows no requests', () => {
    const url = failurePageUrl(content);
    expect(url.startsWith('data:text/html;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toBe(failurePageHtml(content));
    expect(failurePageHtml(content)).toContain("default-src 'none'");
  });
});
