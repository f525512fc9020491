/**
 * Where the public listener's thread code is. The bundle (out/backend/index.js) has it built beside
 * itself (backend/build.mjs); from the sources (tests, `node --import tsx`) the thread loads the
 * TypeScript entry through tsx, as its parent was.
 */
export function publicThreadEntry(): { url: URL; execArgv: string[] } {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? { url: new URL('./public-thread-entry.ts', here), execArgv: ['--import', 'tsx'] }
    : { url: new URL('./public-thread.js', here), execArgv: [] };
}
