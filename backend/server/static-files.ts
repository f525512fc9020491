import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
};

/** Same policy as the desktop window's meta tag: our own scripts only, sockets to ourselves. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Serves the built renderer. Paths that name no file get index.html (the console routes on the
 * client); paths that escape the folder get 404.
 */
export async function serveStaticFile(rootDir: string, pathname: string, response: ServerResponse, headOnly = false): Promise<boolean> {
  let relative: string;
  try {
    relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  } catch {
    return false;
  }
  const root = normalize(rootDir + sep);
  let filePath = join(root, relative);
  if (!filePath.startsWith(root) && filePath + sep !== root) return false;
  let info = await stat(filePath).catch(() => undefined);
  if (!info?.isFile()) {
    if (extname(relative) !== '') return false;
    filePath = join(root, 'index.html');
    info = await stat(filePath).catch(() => undefined);
    if (!info?.isFile()) return false;
  }
  const isHashedAsset = relative.startsWith('assets' + sep) || relative.startsWith('assets/');
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(filePath)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': isHashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
    'content-security-policy': CONSOLE_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  if (headOnly) {
    response.end();
    return true;
  }
  await new Promise<void>((resolve, reject) => {
    createReadStream(filePath).on('error', reject).pipe(response).on('finish', resolve).on('error', reject);
  });
  return true;
}
