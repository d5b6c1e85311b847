import { describe, expect, it } from 'vitest';
import { hintFor } from './hint-for.js';

describe('hintFor', () => {
  const hints = { macos: 'brew install x', windows: 'winget install X', linux: 'apt-get install x' };

  it.each([
    ['macos', 'brew install x'],
    ['windows', 'winget install X'],
    ['linux', 'apt-get install x'],
    ['wsl', 'apt-get install x'],
  ] as const)('on %s gives %s', (os, expected) => {
    expect(hintFor(os, hints)).toBe(expected);
  });

  it('prefers a WSL-specific hint when there is one', () => {
    expect(hintFor('wsl', { ...hints, wsl: 'enable WSL integration' })).toBe('enable WSL integration');
  });
});
