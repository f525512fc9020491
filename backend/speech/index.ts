import { ParleyError, type MethodHandlers } from '#protocol';

export type SpeechMethod =
  | 'voice.start'
  | 'voice.stop'
  | 'voice.pushToTalk'
  | 'voice.interrupt'
  | 'speech.synthesize'
  | 'speech.models.list'
  | 'speech.models.download'
  | 'speech.models.cancel'
  | 'speech.models.delete'
  | 'speech.models.registerCustom';

// Interim while the speech capability is assembled: every voice method answers that it is not available.
export function speechHandlers(): MethodHandlers<SpeechMethod> {
  const unavailable = () => {
    throw new ParleyError('unavailable', 'Voice is not available in this version yet');
  };
  return {
    'voice.start': unavailable,
    'voice.stop': unavailable,
    'voice.pushToTalk': unavailable,
    'voice.interrupt': unavailable,
    'speech.synthesize': unavailable,
    'speech.models.list': unavailable,
    'speech.models.download': unavailable,
    'speech.models.cancel': unavailable,
    'speech.models.delete': unavailable,
    'speech.models.registerCustom': unavailable,
  };
}
