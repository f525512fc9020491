import { DIAGNOSTICS_BUNDLE_PATH } from '#protocol';
import type { HttpRoute } from '../../platform/http';
import { buildDiagnosticsBundle, type BundleSources } from './diagnostics-bundle';

/** `GET /api/diagnostics/bundle` (control API, token): the support zip as a download. */
export function bundleRoute(sources: BundleSources): HttpRoute {
  return {
    method: 'GET',
    path: DIAGNOSTICS_BUNDLE_PATH,
    exposure: 'control',
    async serve(request, response) {
      const token = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim();
      const zip = await buildDiagnosticsBundle(sources, token);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      response.writeHead(200, {
        'content-type': 'application/zip',
        'content-length': zip.length,
        'content-disposition': `attachment; filename="parley-diagnostics-${stamp}.zip"`,
        'cache-control': 'no-store',
      });
      response.end(zip);
    },
  };
}
