import { useState } from 'react';
import type { SettingKey, Settings, WhatsAppOptionalKind, WhatsAppVoiceReplies } from '#protocol';
import { controlClient } from '../../connection';
import { useSettings } from '../../settings';

interface Draft {
  voiceReplies: WhatsAppVoiceReplies;
  templateName: string;
  templateLanguage: string;
  optOutKeywords: string;
  sessionIdleHours: string;
  rateLimitPerMinute: string;
  mediaRetentionDays: string;
  messagesPerSecond: string;
  unansweredKinds: WhatsAppOptionalKind[];
  allowList: string;
  blockList: string;
}

function draftFrom(settings: Settings): Draft {
  return {
    voiceReplies: settings['whatsapp.voiceReplies'],
    templateName: settings['whatsapp.template']?.name ?? '',
    templateLanguage: settings['whatsapp.template']?.language ?? 'en_US',
    optOutKeywords: settings['whatsapp.optOutKeywords'].join(', '),
    sessionIdleHours: String(settings['whatsapp.sessionIdleHours']),
    rateLimitPerMinute: String(settings['whatsapp.rateLimitPerMinute']),
    mediaRetentionDays: String(settings['whatsapp.mediaRetentionDays']),
    messagesPerSecond: String(settings['whatsapp.messagesPerSecond']),
    unansweredKinds: settings['whatsapp.unansweredKinds'],
    allowList: settings['whatsapp.allowList'].join('\n'),
    blockList: settings['whatsapp.blockList'].join('\n'),
  };
}

const lines = (text: string, separator: RegExp) =>
  text
    .split(separator)
    .map((entry) => entry.trim())
    .filter(Boolean);

/** The settings as the backend takes them, from what the form holds. */
function settingsFrom(draft: Draft): Partial<Record<SettingKey, unknown>> {
  return {
    'whatsapp.voiceReplies': draft.voiceReplies,
    'whatsapp.template': draft.templateName.trim() ? { name: draft.templateName.trim(), language: draft.templateLanguage.trim() } : null,
    'whatsapp.optOutKeywords': lines(draft.optOutKeywords, /[,\n]/),
    'whatsapp.sessionIdleHours': Number(draft.sessionIdleHours),
    'whatsapp.rateLimitPerMinute': Number(draft.rateLimitPerMinute),
    'whatsapp.mediaRetentionDays': Number(draft.mediaRetentionDays),
    'whatsapp.messagesPerSecond': Number(draft.messagesPerSecond),
    'whatsapp.unansweredKinds': draft.unansweredKinds,
    'whatsapp.allowList': lines(draft.allowList, /\n/),
    'whatsapp.blockList': lines(draft.blockList, /\n/),
  };
}

/** The types the bridge does not read, as the panel names them. */
const OPTIONAL_KINDS: Array<[WhatsAppOptionalKind, string]> = [
  ['reaction', 'Reactions'],
  ['location', 'Locations'],
  ['sticker', 'Stickers'],
  ['video', 'Videos'],
  ['contacts', 'Contact cards'],
  ['unsupported', 'Other types (orders, polls…)'],
];

/** How the bridge answers: voice replies, the 131047 template, opt-out words, sessions, who may write and how often. */
export function BehaviourCard() {
  const saved = useSettings(draftFrom);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const shown = draft ?? saved;
  const set = (field: keyof Draft) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) => setDraft({ ...shown, [field]: event.target.value });
  const toggleUnanswered = (kind: WhatsAppOptionalKind) => (event: React.ChangeEvent<HTMLInputElement>) =>
    setDraft({ ...shown, unansweredKinds: event.target.checked ? [...shown.unansweredKinds, kind] : shown.unansweredKinds.filter((entry) => entry !== kind) });
  const save = async () => {
    setSaving(true);
    const failures: string[] = [];
    const before = settingsFrom(saved);
    for (const [key, value] of Object.entries(settingsFrom(shown))) {
      if (JSON.stringify(before[key as SettingKey]) === JSON.stringify(value)) continue;
      try {
        await controlClient.request('settings.set', { key: key as SettingKey, value } as never);
      } catch (error) {
        failures.push(`${key}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    setProblems(failures);
    if (!failures.length) setDraft(null);
    setSaving(false);
  };
  return (
    <details className="card" aria-label="Behaviour">
      <summary>Behaviour: replies, sessions, who may write</summary>
      <div className="form-grid">
        <label>
          Voice-note replies
          <select value={shown.voiceReplies} onChange={set('voiceReplies')}>
            <option value="never">Never (text only)</option>
            <option value="mirror">Mirror (a voice note for a voice note)</option>
            <option value="always">Always</option>
          </select>
          <span className="hint">Spoken with the Voice panel's engine and voice; text when speech fails.</span>
        </label>
        <label>
          Reply template (after 24 h, error 131047)
          <input value={shown.templateName} onChange={set('templateName')} placeholder="approved template name, e.g. follow_up" />
          <span className="hint">Empty: the conversation is marked "window closed" for you instead.</span>
        </label>
        <label>
          Template language
          <input value={shown.templateLanguage} onChange={set('templateLanguage')} placeholder="en_US" />
        </label>
        <label>
          Opt-out keywords
          <input value={shown.optOutKeywords} onChange={set('optOutKeywords')} placeholder="STOP, UNSUBSCRIBE" />
          <span className="hint">A message that is exactly one of these ends all messages to that contact.</span>
        </label>
        <label>
          Session expires after (hours idle)
          <input type="number" min={0.1} step={0.5} value={shown.sessionIdleHours} onChange={set('sessionIdleHours')} />
          <span className="hint">After that the agent starts afresh: earlier messages are no longer context.</span>
        </label>
        <label>
          Messages per contact per minute
          <input type="number" min={0} step={1} value={shown.rateLimitPerMinute} onChange={set('rateLimitPerMinute')} />
          <span className="hint">Past it the contact is told once, then not answered for the minute. 0: no limit.</span>
        </label>
        <label>
          Keep voice notes for (days)
          <input type="number" min={0} step={1} value={shown.mediaRetentionDays} onChange={set('mediaRetentionDays')} />
          <span className="hint">Older recordings are deleted from the data folder; their transcripts stay in the inbox. 0: keep them.</span>
        </label>
        <label>
          Number's throughput (messages per second)
          <input type="number" min={1} max={1000} step={1} value={shown.messagesPerSecond} onChange={set('messagesPerSecond')} />
          <span className="hint">Meta's tier for your number, messages received and sent together: 80 unless Meta upgraded it (1,000), 20 if the number is also in the WhatsApp Business app. Replies keep to seven eighths of it; past the tier Meta refuses sends (130429).</span>
        </label>
        <fieldset>
          <legend>Recorded in the inbox, not answered</legend>
          {OPTIONAL_KINDS.map(([kind, label]) => (
            <label key={kind} className="inline">
              <input type="checkbox" checked={shown.unansweredKinds.includes(kind)} onChange={toggleUnanswered(kind)} />
              {label}
            </label>
          ))}
          <span className="hint">Types the agent cannot read. Unticked, the agent is told what the contact sent and answers politely.</span>
        </fieldset>
        <label>
          Allow list (one number or prefix* a line)
          <textarea value={shown.allowList} onChange={set('allowList')} placeholder={'Empty: everyone may write\n+4930*'} rows={3} />
        </label>
        <label>
          Block list (one number or prefix* a line)
          <textarea value={shown.blockList} onChange={set('blockList')} placeholder="+1 650 555 0100" rows={3} />
          <span className="hint">Refused numbers get no answer and nothing is stored; the block list wins.</span>
        </label>
      </div>
      <button type="button" onClick={() => void save()} disabled={saving || draft === null}>
        Save behaviour
      </button>
      {draft !== null && (
        <button type="button" onClick={() => (setDraft(null), setProblems([]))} disabled={saving}>
          Discard changes
        </button>
      )}
      {problems.length > 0 && (
        <ul role="alert" aria-label="Settings not saved">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
    </details>
  );
}
