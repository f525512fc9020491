import { describe, expect, it } from 'vitest';
import { errorCodeSchema, httpStatusForErrorCode, ParleyError, wireErrorSchema } from '#protocol';

describe('ParleyError on the wire', () => {
  it('survives toWire → JSON → fromWire with code, message, hint and details', () => {
    const original = new ParleyError('invalid_params', 'Invalid params for settings.set: key: bad', {
      hint: 'Pick one of the listed keys.',
      details: [{ path: ['key'], message: 'bad' }],
      cause: new Error('not sent'),
    });
    const wire = wireErrorSchema.parse(JSON.parse(JSON.stringify(original.toWire())));
    const back = ParleyError.fromWire(wire);

    expect(back).toBeInstanceOf(ParleyError);
    expect(back).toBeInstanceOf(Error);
    expect(back.name).toBe('ParleyError');
    expect(back.code).toBe('invalid_params');
    expect(back.message).toBe(original.message);
    expect(back.hint).toBe('Pick one of the listed keys.');
    expect(back.details).toEqual([{ path: ['key'], message: 'bad' }]);
    expect(back.toWire()).toEqual(original.toWire());
  });

  it('puts neither the stack nor the cause on the wire, and omits absent hint and details', () => {
    const wire = new ParleyError('internal', 'Internal error', { cause: new Error('db at /secret/path') }).toWire();
    expect(wire).toEqual({ code: 'internal', message: 'Internal error' });
    expect(Object.keys(wire)).toEqual(['code', 'message']);
    expect(JSON.stringify(wire)).not.toContain('/secret/path');
  });

  it('refuses a wire error with an unknown code', () => {
    expect(wireErrorSchema.safeParse({ code: 'teapot', message: 'x' }).success).toBe(false);
    expect(wireErrorSchema.safeParse({ code: 'internal' }).success).toBe(false);
  });

  it('maps every error code to a 4xx or 5xx HTTP status', () => {
    for (const code of errorCodeSchema.options) {
      const status = httpStatusForErrorCode[code];
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
    }
    expect(httpStatusForErrorCode.internal).toBe(500);
    expect(httpStatusForErrorCode.unauthorized).toBe(401);
  });
});
