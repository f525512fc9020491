import { ModelRefPicker, useProviders } from '../../providers';
import { changeSetting, useSetting } from '../../settings';
import { SystemPromptEditor } from './SystemPromptEditor';

const CHANNELS = {
  console: { title: 'Console', modelKey: 'agent.console.model', promptKey: 'agent.console.systemPrompt', purpose: 'Answers you in the Conversation panel.' },
  whatsapp: { title: 'WhatsApp', modelKey: 'agent.whatsapp.model', promptKey: 'agent.whatsapp.systemPrompt', purpose: 'Answers your WhatsApp contacts.' },
} as const;

/** One channel's chat model and system prompt. */
export function ChannelCard({ channel }: { channel: keyof typeof CHANNELS }) {
  const { title, modelKey, promptKey, purpose } = CHANNELS[channel];
  const current = useSetting(modelKey);
  const providers = useProviders().data;
  const providerGone = !!providers && !!current && !providers.some((p) => p.id === current.providerId);
  return (
    <section className="card channel-card" aria-labelledby={`channel-${channel}-title`}>
      <h3 id={`channel-${channel}-title`}>{title}</h3>
      <p className="hint">{purpose}</p>
      <div className="current-model" data-testid={`${channel}-model`}>
        Chat model:{' '}
        {current ? (
          <>
            <code>
              {current.providerId}/{current.model}
            </code>{' '}
            {providerGone && <span className="warn-text">(its provider was deleted: pick another) </span>}
            <button type="button" className="small" onClick={() => void changeSetting(modelKey, null)}>
              Clear
            </button>
          </>
        ) : (
          <span className="warn-text">none chosen</span>
        )}
      </div>
      <ModelRefPicker key={current ? `${current.providerId}/${current.model}` : 'none'} label={`${title} model`} initial={current} submitLabel="Use" onSubmit={(ref) => void changeSetting(modelKey, ref)} />
      <SystemPromptEditor settingKey={promptKey} label={`${title} system prompt`} />
    </section>
  );
}
