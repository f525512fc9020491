import { useState } from 'react';
import { DIAGNOSTICS_BUNDLE_PATH } from '#protocol';
import { useIsConnected } from '../../connection';
import { reportError } from '../../errors';
import { downloadFromBackend } from './download';

/** One click: the support zip (logs, versions, health, settings, providers; every secret removed). */
export function BundleButton() {
  const connected = useIsConnected();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      await downloadFromBackend(DIAGNOSTICS_BUNDLE_PATH, 'parley-diagnostics.zip');
    } catch (error) {
      reportError('Diagnostics bundle', error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" onClick={() => void download()} disabled={!connected || busy} title="A zip of logs, versions, health, settings and provider records, with every secret removed: safe to send to support">
      {busy ? 'Preparing bundle…' : 'Download diagnostics bundle'}
    </button>
  );
}
