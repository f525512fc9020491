import { meterFraction } from './dsp/level';
import { useMicLevelStore } from './voice-store';

const FLOOR_DB = -60;

/** The microphone's smoothed RMS level, from -60 to 0 dBFS. */
export function LevelMeter({ label = 'Microphone level', active }: { label?: string; active: boolean }) {
  const db = useMicLevelStore((state) => state.db);
  const shown = active ? Math.max(FLOOR_DB, Math.round(db)) : FLOOR_DB;
  const fraction = meterFraction(shown, FLOOR_DB);
  const zone = shown > -6 ? 'hot' : shown > -40 ? 'ok' : 'low';
  return (
    <div
      className={`level-meter level-${zone}`}
      role="meter"
      aria-label={label}
      aria-valuemin={FLOOR_DB}
      aria-valuemax={0}
      aria-valuenow={shown}
      aria-valuetext={active ? `${shown} dBFS` : 'microphone off'}
      data-testid="level-meter"
      data-db={shown}
    >
      <div className="level-fill" style={{ width: `${fraction * 100}%` }} />
    </div>
  );
}
