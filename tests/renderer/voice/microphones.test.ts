import { describe, expect, it } from 'vitest';
import { ParleyError } from '#protocol';
import { describeMicrophoneError } from '../../../renderer/src/voice/microphone-errors';
import { chosenMicrophoneId, effectiveMicrophoneId, listMicrophones, rememberMicrophone } from '../../../renderer/src/voice/microphones';

const device = (kind: MediaDeviceKind, deviceId: string, label = '') => ({ kind, deviceId, label, groupId: 'g' }) as MediaDeviceInfo;

describe('microphone choice', () => {
  it('lists real audio inputs, naming the ones the browser keeps anonymous', () => {
    const list = listMicrophones([
      device('audioinput', 'default', 'Default'),
      device('audioinput', 'communications', 'Communications'),
      device('audiooutput', 'spk', 'Speakers'),
      device('audioinput', 'a1', 'USB headset'),
      device('audioinput', 'a2'),
      device('audioinput', ''),
    ]);
    expect(list).toEqual([
      { deviceId: 'a1', label: 'USB headset' },
      { deviceId: 'a2', label: 'Microphone 2' },
    ]);
  });

  it('falls back to the default when the remembered device is gone', () => {
    const available = [{ deviceId: 'a1', label: 'USB' }];
    expect(effectiveMicrophoneId('a1', available)).toBe('a1');
    expect(effectiveMicrophoneId('gone', available)).toBeNull();
    expect(effectiveMicrophoneId(null, available)).toBeNull();
  });

  it('remembers the choice per machine, and survives storage that throws', () => {
    const values = new Map<string, string>();
    const storage = { getItem: (k: string) => values.get(k) ?? null, setItem: (k: string, v: string) => void values.set(k, v), removeItem: (k: string) => void values.delete(k) };
    rememberMicrophone('a1', storage);
    expect(chosenMicrophoneId(storage)).toBe('a1');
    rememberMicrophone(null, storage);
    expect(chosenMicrophoneId(storage)).toBeNull();
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => undefined,
    };
    expect(chosenMicrophoneId(broken)).toBeNull();
    expect(() => rememberMicrophone('a1', broken)).not.toThrow();
  });
});

describe('describeMicrophoneError', () => {
  const browser = { desktop: false, secureContext: true };
  const domError = (name: string, message = '') => Object.assign(new Error(message), { name });

  it('says how to allow the microphone, in the browser and in the desktop app', () => {
    const web = describeMicrophoneError(domError('NotAllowedError'), browser);
    expect(web.message).toBe('Microphone access was denied');
    expect(web.hint).toContain('address bar');
    expect(describeMicrophoneError(domError('NotAllowedError'), { desktop: true, secureContext: true }).hint).toContain('Privacy');
  });

  it('tells a missing device from a busy one', () => {
    expect(describeMicrophoneError(domError('NotFoundError'), browser).message).toBe('No microphone was found');
    expect(describeMicrophoneError(domError('OverconstrainedError'), browser).hint).toContain('choose another input');
    expect(describeMicrophoneError(domError('NotReadableError', 'Device in use'), browser).message).toContain('Device in use');
  });

  it('explains that insecure pages get no microphone', () => {
    expect(describeMicrophoneError(domError('TypeError'), { desktop: false, secureContext: false }).hint).toContain('https://');
  });

  it('passes ParleyErrors through', () => {
    const error = new ParleyError('unavailable', 'Audio could not start');
    expect(describeMicrophoneError(error, browser)).toBe(error);
  });
});
