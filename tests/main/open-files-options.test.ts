import { describe, expect, it } from 'vitest';
import { toOpenDialogRequest } from '../../main/open-files-options';

describe('toOpenDialogRequest', () => {
  it('maps the renderer options to dialog options', () => {
    expect(toOpenDialogRequest({ title: 'Add documents', filters: [{ name: 'PDF', extensions: ['pdf'] }], multiple: true })).toEqual({
      title: 'Add documents',
      filters: [{ name: 'PDF', extensions: ['pdf'] }],
      properties: ['openFile', 'multiSelections'],
    });
  });

  it('opens one file by default, also when no options are sent', () => {
    expect(toOpenDialogRequest({})).toEqual({ properties: ['openFile'] });
    expect(toOpenDialogRequest(undefined)).toEqual({ properties: ['openFile'] });
  });

  it('rejects anything else the renderer might send', () => {
    for (const bad of [
      'pdf',
      { multiple: 'yes' },
      { title: 'x'.repeat(201) },
      { filters: [{ name: 'PDF', extensions: ['.pdf'] }] },
      { filters: [{ name: 'PDF', extensions: [] }] },
      { filters: [{ name: 'PDF', extensions: ['pdf'], extra: 1 }] },
      { defaultPath: '/etc' },
      { properties: ['openDirectory'] },
    ]) {
      expect(() => toOpenDialogRequest(bad), JSON.stringify(bad)).toThrow(/Invalid openFiles options/);
    }
  });
});
