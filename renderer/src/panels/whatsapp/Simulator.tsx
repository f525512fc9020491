import { useState } from 'react';
import { controlClient } from '../../connection';
import { RecordButton } from './RecordButton';
import { sendRecording } from './voice-media';

const SIMULATOR_CONTACT_ID = 'simulator:15550000000';

/**
 * The test contact: what you type, or record from the microphone as a voice note, is sent as a
 * signed Cloud API webhook through the same queue, agent and sender as a real contact's, against a
 * built-in Graph stand-in. No Meta account needed. Its replies (text, buttons, voice notes) show in
 * its conversation below, where its side can tap the buttons.
 */
export function Simulator({ onSent }: { onSent(contactId: string): void }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const send = async () => {
    setProblem(null);
    try {
      const { contactId } = await controlClient.request('whatsapp.simulator.send', { text });
      setText('');
      if (contactId) onSent(contactId);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  const sendVoice = async (wav: Uint8Array) => {
    await sendRecording({ simulator: true }, wav);
    onSent(SIMULATOR_CONTACT_ID);
  };
  return (
    <form
      className="card whatsapp-simulator"
      aria-label="Simulator"
      onSubmit={(event) => {
        event.preventDefault();
        if (text.trim()) void send();
      }}
    >
      <label>
        Simulator: write as a test contact
        <input value={text} onChange={(event) => setText(event.target.value)} placeholder="Hi! What can you do?" maxLength={4096} />
      </label>
      <button type="submit" disabled={!text.trim()}>
        Send as contact
      </button>
      <RecordButton label="Voice note as contact" onRecorded={sendVoice} />
      {problem && <p role="alert">{problem}</p>}
    </form>
  );
}
