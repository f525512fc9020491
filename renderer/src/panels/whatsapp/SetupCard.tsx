import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ParamsOf, WhatsAppStatus } from '#protocol';
import { controlClient } from '../../connection';
import { whatsappKeys } from './whatsapp-queries';

type Form = ParamsOf<'whatsapp.configure'>;

/** Connection settings, what is missing, and the URL to register with Meta (or WAHA). */
export function SetupCard({ status }: { status: WhatsAppStatus }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (field: keyof Form) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm({ ...form, [field]: event.target.value });
  const provider = form.provider ?? status.provider;
  const save = async () => {
    setSaving(true);
    setProblem(null);
    try {
      // An emptied field means "unchanged", never "delete the secret".
      const changed = Object.fromEntries(Object.entries(form).filter(([, value]) => value !== '')) as Form;
      queryClient.setQueryData(whatsappKeys.status, await controlClient.request('whatsapp.configure', changed));
      setForm({});
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setSaving(false);
    }
  };
  const secret = (field: 'appSecret' | 'verifyToken' | 'accessToken' | 'wahaApiKey' | 'wahaHmacKey', label: string) => (
    <label>
      {label} {status.secrets[field] ? <span className="hint">(set; type a new value to replace it)</span> : null}
      <input type="password" autoComplete="off" value={form[field] ?? ''} onChange={set(field)} placeholder={status.secrets[field] ? '••••••••' : ''} />
    </label>
  );
  return (
    <details className="card" open={!status.configured}>
      <summary>
        Connection: {status.provider === 'cloud' ? 'Meta Cloud API' : 'WAHA'} —{' '}
        <span className={`badge badge-${status.configured ? 'ok' : 'degraded'}`}>{status.configured ? 'configured' : 'not configured'}</span>
      </summary>
      {status.missing.length > 0 && (
        <ul className="hint" aria-label="Missing settings">
          {status.missing.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      )}
      {status.fromEnvironment.length > 0 && <p className="hint">From the environment (these override the form): {status.fromEnvironment.join(', ')}</p>}
      <p>
        Register the webhook URL <code>https://&lt;your public host&gt;{provider === 'cloud' ? status.webhookPath : status.wahaWebhookPath}</code>. Parley's public listener serves it on
        PARLEY_WEBHOOK_HOST:PARLEY_WEBHOOK_PORT (default 127.0.0.1:7862). A desktop needs a tunnel to it (e.g. <code>cloudflared tunnel --url http://127.0.0.1:7862</code>) or a
        reverse proxy with TLS. {provider === 'cloud' && 'Production numbers receive webhooks only after the app is subscribed to the WhatsApp Business Account; temporary access tokens expire daily (use a system-user token).'}
      </p>
      <div className="form-grid">
        <label>
          Provider
          <select value={provider} onChange={set('provider')}>
            <option value="cloud">Meta WhatsApp Cloud API (official)</option>
            <option value="waha">WAHA (self-hosted, QR-paired)</option>
          </select>
        </label>
        {provider === 'cloud' ? (
          <>
            <label>
              Phone number id
              <input value={form.phoneNumberId ?? status.phoneNumberId} onChange={set('phoneNumberId')} />
            </label>
            <label>
              Graph API version
              <input value={form.graphVersion ?? status.graphVersion} onChange={set('graphVersion')} />
            </label>
            {secret('accessToken', 'Access token')}
            {secret('appSecret', 'App secret')}
            {secret('verifyToken', 'Verify token')}
          </>
        ) : (
          <>
            <label>
              WAHA URL
              <input value={form.wahaUrl ?? status.wahaUrl} onChange={set('wahaUrl')} placeholder="http://127.0.0.1:3000" />
            </label>
            <label>
              Session
              <input value={form.wahaSession ?? status.wahaSession} onChange={set('wahaSession')} />
            </label>
            {secret('wahaApiKey', 'API key')}
            {secret('wahaHmacKey', 'Webhook HMAC key')}
          </>
        )}
      </div>
      <button type="button" onClick={() => void save()} disabled={saving || Object.keys(form).length === 0}>
        Save connection
      </button>
      {problem && <p role="alert">{problem}</p>}
      <p className="hint">
        Queue: {status.queue.queued} waiting, {status.queue.running} running, {status.queue.dead} failed (see Diagnostics → jobs to retry).
      </p>
    </details>
  );
}
