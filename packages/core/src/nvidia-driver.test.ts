import { describe, expect, it } from 'vitest';
import { nvidiaDriverPresent } from './nvidia-driver.js';

describe('nvidiaDriverPresent', () => {
  it('looks for the driver\'s /proc folder on Linux', () => {
    expect(nvidiaDriverPresent('linux', (p) => p === '/proc/driver/nvidia')).toBe(true);
    expect(nvidiaDriverPresent('linux', () => false)).toBe(false);
  });

  it('cannot tell on Windows (assumes one may be there) and knows macOS has none', () => {
    expect(nvidiaDriverPresent('win32', () => false)).toBe(true);
    expect(nvidiaDriverPresent('darwin', () => true)).toBe(false);
  });
});
