import { useMutation, useQuery } from '@tanstack/react-query';
import type { OcrLanguage } from '#protocol';
import { controlClient, useIsConnected } from '../../connection';
import { queryClient } from '../../server-state';
import { changeSetting, useSetting } from '../../settings';
import { formatSize } from './document-status';

const languagesKey = ['documents', 'ocrLanguages'] as const;
const SOURCE = 'Documents';

/** The languages scanned pages are read in: English ships with Parley, others download (verified) on demand. */
export function OcrLanguageList() {
  const connected = useIsConnected();
  const chosen = useSetting('documents.ocr.languages');
  const languages = useQuery({
    queryKey: languagesKey,
    queryFn: async ({ signal }) => (await controlClient.request('documents.ocrLanguages.list', {}, { signal })).languages,
    enabled: connected,
    meta: { source: SOURCE },
  });
  const settle = (result: { languages: OcrLanguage[] }) => queryClient.setQueryData(languagesKey, result.languages);
  const install = useMutation({ mutationFn: (code: string) => controlClient.request('documents.ocrLanguages.install', { code }), onSuccess: settle, meta: { source: SOURCE } });
  const remove = useMutation({ mutationFn: (code: string) => controlClient.request('documents.ocrLanguages.remove', { code }), onSuccess: settle, meta: { source: SOURCE } });
  const choose = async (code: string, active: boolean) => {
    const next = active ? [...chosen, code] : chosen.filter((candidate) => candidate !== code);
    if (next.length === 0) return;
    await changeSetting('documents.ocr.languages', next);
    void queryClient.invalidateQueries({ queryKey: languagesKey });
  };

  return (
    <section className="documents-settings" aria-labelledby="ocr-languages-title">
      <h2 id="ocr-languages-title">OCR languages</h2>
      <ul className="ocr-languages">
        {languages.data?.map((language) => (
          <li key={language.code}>
            <label>
              <input type="checkbox" checked={chosen.includes(language.code)} disabled={!language.installed || (chosen.length === 1 && chosen.includes(language.code))} onChange={(event) => void choose(language.code, event.target.checked)} />{' '}
              {language.name}
            </label>{' '}
            <span className="hint">
              {language.bundled ? 'built in' : language.installed ? 'downloaded' : 'not downloaded'}
              {language.sizeBytes ? ` · ${formatSize(language.sizeBytes)}` : ''}
            </span>{' '}
            {!language.bundled && !language.installed && (
              <button type="button" className="small" onClick={() => install.mutate(language.code)} disabled={!connected || install.isPending}>
                {install.isPending && install.variables === language.code ? 'Downloading…' : 'Download'}
              </button>
            )}
            {!language.bundled && language.installed && (
              <button type="button" className="small" onClick={() => remove.mutate(language.code)} disabled={!connected || remove.isPending}>
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
