import { useEffect, useId, useRef, type KeyboardEvent as ReactKeyboardEvent, type RefObject } from 'react';
import type { VoiceMode } from '#protocol';
import { useIsConnected } from '../connection';
import { LatencyBreakdown } from './LatencyBreakdown';
import { LevelMeter } from './LevelMeter';
import { endsTalkKey, isPanelSpace, isTalkChord, spaceIsTaken } from './push-to-talk-keys';
import { voiceStatusText } from './voice-view';
import { voiceSession } from './session';
import { useFollowVolumeSetting } from './use-volume-setting';
import { useVoiceStore } from './voice-store';

const pressTalk = () => voiceSession.pressTalk();
const releaseTalk = () => voiceSession.releaseTalk();
const toggleTalk = () => voiceSession.toggleTalk();
const interruptVoice = () => voiceSession.interrupt();
const stopVoice = () => voiceSession.stop();

const MODES: Array<{ mode: VoiceMode; label: string }> = [
  { mode: 'push-to-talk', label: 'Push-to-talk' },
  { mode: 'hands-free', label: 'Hands-free' },
];

/**
 * The one mic control: start/stop voice for a conversation, push-to-talk (hold the button, Space
 * while focus is in the panel, or Ctrl+Shift+Space anywhere) or hands-free with mute, the live
 * transcript and the last turn's timings.
 */
export function MicControl({ conversationId, openConversation }: { conversationId: string | null; openConversation: () => Promise<string | null> }) {
  const view = useVoiceStore();
  const connected = useIsConnected();
  const rootRef = useRef<HTMLDivElement>(null);
  const talkRef = useRef<HTMLButtonElement>(null);
  const id = useId();
  const on = view.session === 'on';
  const here = view.conversationId === conversationId;
  useFollowVolumeSetting();

  useEffect(() => {
    // Voice follows the open conversation: another one selected ends it here.
    const { session, conversationId: voiceConversation } = useVoiceStore.getState();
    if ((session === 'on' || session === 'starting') && voiceConversation !== conversationId) void stopVoice();
  }, [conversationId]);

  usePushToTalkKeys(on && view.mode === 'push-to-talk', rootRef, talkRef);

  const onTalkKey = (event: ReactKeyboardEvent<HTMLButtonElement>, down: boolean) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    if (down && !event.repeat) pressTalk();
    else if (!down) releaseTalk();
  };

  const busy = view.session === 'starting' || view.session === 'stopping';
  const answering = on && (view.state === 'thinking' || view.state === 'speaking' || view.playing);
  return (
    <div className="mic-control" ref={rootRef} data-state={on ? view.state : view.session} data-playing={view.playing} data-testid="mic-control">
      <div className="mic-row">
        {!on || !here ? (
          <button
            type="button"
            className="primary mic-start"
            disabled={!connected || busy}
            title={conversationId ? undefined : 'Starts a new conversation'}
            onClick={() => void startVoiceHere(conversationId, openConversation)}
          >
            {view.session === 'starting' ? 'Starting…' : 'Start voice'}
          </button>
        ) : view.mode === 'push-to-talk' ? (
          <button
            ref={talkRef}
            type="button"
            className="mic-talk"
            aria-pressed={view.talking}
            aria-keyshortcuts="Space Control+Shift+Space"
            title="Hold to talk: this button, Space while focus is in the panel, or Ctrl+Shift+Space"
            onPointerDown={(event) => {
              if (event.button !== 0) return;
              event.currentTarget.setPointerCapture(event.pointerId);
              pressTalk();
            }}
            onPointerUp={releaseTalk}
            onPointerCancel={releaseTalk}
            onLostPointerCapture={releaseTalk}
            onContextMenu={(event) => event.preventDefault()}
            onKeyDown={(event) => onTalkKey(event, true)}
            onKeyUp={(event) => onTalkKey(event, false)}
          >
            {view.talking ? 'Talking…' : 'Hold to talk'}
          </button>
        ) : (
          <button type="button" className="mic-mute" aria-pressed={view.muted} onClick={() => voiceSession.setMuted(!view.muted)}>
            {view.muted ? 'Unmute' : 'Mute'}
          </button>
        )}
        <label htmlFor={`${id}-mode`} className="visually-hidden">
          Voice mode
        </label>
        <select id={`${id}-mode`} value={view.mode} disabled={busy} onChange={(event) => void voiceSession.setMode(event.target.value as VoiceMode)}>
          {MODES.map(({ mode, label }) => (
            <option key={mode} value={mode}>
              {label}
            </option>
          ))}
        </select>
        {on && here && <LevelMeter active={!view.muted} />}
        <span className="voice-status" role="status" aria-live="polite" data-testid="voice-status">
          {here || !on ? voiceStatusText(view) : 'Voice is on in another conversation'}
          {on && here && view.userSpeaking && <span className="voice-hearing"> · hearing you</span>}
        </span>
        {answering && here && (
          <button type="button" onClick={interruptVoice}>
            Stop answer
          </button>
        )}
        {on && (
          <button type="button" onClick={() => void stopVoice()}>
            Stop voice
          </button>
        )}
      </div>
      {here && view.transcript && (
        <p className={`voice-transcript${view.transcript.final ? '' : ' voice-transcript-partial'}`} data-testid="voice-transcript">
          {view.transcript.text || '…'}
        </p>
      )}
      {here && view.lastTurn && <LatencyBreakdown turn={view.lastTurn} />}
    </div>
  );
}

/** Space (focus in the panel, not typing) and Ctrl+Shift+Space (anywhere in the page) hold push-to-talk. */
function usePushToTalkKeys(enabled: boolean, rootRef: RefObject<HTMLElement | null>, talkRef: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    if (!enabled) return;
    let held: 'space' | 'chord' | null = null;
    const onKeyDown = (event: KeyboardEvent) => {
      if (held) {
        if (event.code === 'Space') event.preventDefault();
        return;
      }
      if (event.repeat) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      const panel = rootRef.current?.closest('.panel') ?? rootRef.current;
      // Nothing focused (after a click on text, say) counts as the panel: it is the one on screen.
      const nothingFocused = !target || target === document.body;
      const focus = {
        inPanel: nothingFocused || (!!panel && panel.contains(target)),
        onTalkButton: !!target && target === talkRef.current,
        spaceIsTaken: spaceIsTaken(nothingFocused ? null : target),
      };
      if (isTalkChord(event)) held = 'chord';
      else if (isPanelSpace(event, focus)) held = 'space';
      else return;
      event.preventDefault();
      pressTalk();
    };
    const onKeyUp = (event: KeyboardEvent) => {
      if (!held || !endsTalkKey(event, held === 'chord')) return;
      event.preventDefault();
      held = null;
      releaseTalk();
    };
    const onBlur = () => {
      if (!held) return;
      held = null;
      releaseTalk();
    };
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    window.addEventListener('blur', onBlur);
    // The desktop app's global shortcut, while another application is in front: press to talk, press again to send.
    const stopGlobalShortcut = window.parley?.onPushToTalkShortcut(toggleTalk);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('blur', onBlur);
      stopGlobalShortcut?.();
      if (held) releaseTalk();
    };
  }, [enabled, rootRef, talkRef]);
}

/** Speaking with no conversation open starts one, as typing a first message does. */
async function startVoiceHere(conversationId: string | null, openConversation: () => Promise<string | null>): Promise<void> {
  const id = conversationId ?? (await openConversation());
  if (id) await voiceSession.start(id);
}
