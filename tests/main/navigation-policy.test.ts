import { describe, expect, it } from 'vitest';
import { decideNavigation, decidePermission, decideWindowOpen, isAppOrigin, isExternalUrl } from '../../main/navigation-policy';

const fileApp = 'file:///opt/Parley/resources/app/out/renderer/index.html';
const devApp = 'http://localhost:5173/';

describe('isExternalUrl', () => {
  it('accepts only http and https', () => {
    expect(isExternalUrl('https://platform.openai.com/docs')).toBe(true);
    expect(isExternalUrl('http://example.com')).toBe(true);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'mailto:a@b.c', 'smb://host/share', 'data:text/html,x', 'not a url', '']) {
      expect(isExternalUrl(url)).toBe(false);
    }
  });
});

describe('decideNavigation', () => {
  it('allows the built app page with any hash or query', () => {
    expect(decideNavigation(`${fileApp}#/settings`, fileApp)).toBe('allow');
    expect(decideNavigation(`${fileApp}?x=1`, fileApp)).toBe('allow');
  });

  it('blocks other local files', () => {
    expect(decideNavigation('file:///home/me/report.html', fileApp)).toBe('block');
  });

  it('allows the dev server origin and nothing else', () => {
    expect(decideNavigation('http://localhost:5173/some/route', devApp)).toBe('allow');
    expect(decideNavigation('http://localhost:5174/', devApp)).toBe('open-external');
  });

  it('sends web pages to the browser and blocks other schemes', () => {
    expect(decideNavigation('https://example.com/', fileApp)).toBe('open-external');
    expect(decideNavigation('javascript:alert(1)', fileApp)).toBe('block');
    expect(decideNavigation('mailto:a@b.c', fileApp)).toBe('block');
  });
});

describe('decideWindowOpen', () => {
  it('never opens an app window; web links go to the browser', () => {
    expect(decideWindowOpen('https://example.com/', fileApp)).toBe('open-external');
    expect(decideWindowOpen(fileApp, fileApp)).toBe('block');
    expect(decideWindowOpen('http://localhost:5173/popup', devApp)).toBe('block');
    expect(decideWindowOpen('file:///etc/passwd', fileApp)).toBe('block');
  });
});

describe('isAppOrigin', () => {
  it('treats every file URL as the origin of a file app (file origins are opaque)', () => {
    expect(isAppOrigin('file:///', fileApp)).toBe(true);
    expect(isAppOrigin('https://evil.example', fileApp)).toBe(false);
    expect(isAppOrigin('null', fileApp)).toBe(false);
  });
});

describe('decidePermission', () => {
  const fromApp = { requestingUrl: `${fileApp}#/voice`, mediaTypes: ['audio'] };

  it('grants the microphone to the app', () => {
    expect(decidePermission('media', fromApp, fileApp)).toBe(true);
    expect(decidePermission('media', { requestingUrl: 'file:///', mediaTypes: [] }, fileApp)).toBe(true);
    expect(decidePermission('media', { requestingUrl: 'http://localhost:5173', mediaTypes: ['audio'] }, devApp)).toBe(true);
  });

  it('refuses the camera', () => {
    expect(decidePermission('media', { ...fromApp, mediaTypes: ['audio', 'video'] }, fileApp)).toBe(false);
    expect(decidePermission('media', { ...fromApp, mediaTypes: ['video'] }, fileApp)).toBe(false);
  });

  it('refuses media to anything that is not the app', () => {
    expect(decidePermission('media', { requestingUrl: 'https://evil.example/', mediaTypes: ['audio'] }, fileApp)).toBe(false);
    expect(decidePermission('media', { requestingUrl: 'data:text/html,x', mediaTypes: ['audio'] }, fileApp)).toBe(false);
    expect(decidePermission('media', { requestingUrl: undefined, mediaTypes: ['audio'] }, fileApp)).toBe(false);
  });

  it('refuses every other permission, even to the app', () => {
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'display-capture', 'openExternal', 'hid', 'unknown']) {
      expect(decidePermission(permission, fromApp, fileApp)).toBe(false);
    }
  });
});
