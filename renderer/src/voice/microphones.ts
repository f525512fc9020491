/** Which microphone to use is a property of this machine, not of the account: localStorage, not a setting. */
const STORAGE_KEY = 'parley.voice.microphone';

export interface Microphone {
  deviceId: string;
  label: string;
}

export function chosenMicrophoneId(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): string | null {
  try {
    return storage?.getItem(STORAGE_KEY) || null;
  } catch {
    return null;
  }
}

export function rememberMicrophone(deviceId: string | null, storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined = globalThis.localStorage): void {
  try {
    if (deviceId) storage?.setItem(STORAGE_KEY, deviceId);
    else storage?.removeItem(STORAGE_KEY);
  } catch {
    // Storage can be disabled; the choice then lasts for this page only.
  }
}

/** Audio inputs with a readable name; browsers hide names until the microphone was allowed once. */
export function listMicrophones(devices: readonly MediaDeviceInfo[]): Microphone[] {
  const inputs = devices.filter((device) => device.kind === 'audioinput' && device.deviceId !== '' && device.deviceId !== 'default' && device.deviceId !== 'communications');
  return inputs.map((device, index) => ({ deviceId: device.deviceId, label: device.label || `Microphone ${index + 1}` }));
}

/** The remembered device if it is still connected, else the system default (null). */
export function effectiveMicrophoneId(chosen: string | null, available: readonly Microphone[]): string | null {
  return chosen && available.some((mic) => mic.deviceId === chosen) ? chosen : null;
}

export async function enumerateMicrophones(): Promise<Microphone[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  return listMicrophones(await navigator.mediaDevices.enumerateDevices());
}
