import { describeFormatSelectorContract } from '@upframe/plugin-kit';
import { createFormatSelector } from './built-in-container.js';

describeFormatSelectorContract(() => createFormatSelector('auto'), { label: 'auto', requiresLossless: true });
describeFormatSelectorContract(() => createFormatSelector('auto'), { label: 'auto, RGBA frames', requiresLossless: true, channels: 4 });
describeFormatSelectorContract(() => createFormatSelector('auto', { lossy: true }), { label: 'auto, lossy allowed' });
describeFormatSelectorContract(() => createFormatSelector('source'), { label: 'source', requiresLossless: true });
describeFormatSelectorContract(() => createFormatSelector('source'), { label: 'source, RGBA frames', requiresLossless: true, channels: 4 });
describeFormatSelectorContract(() => createFormatSelector('auto', { perFrame: true }), { label: 'auto, per frame', requiresLossless: true, perFrame: true });
for (const format of ['png', 'webp', 'tiff', 'avif'] as const) {
  describeFormatSelectorContract(() => createFormatSelector(format), { label: format, requiresLossless: true });
}
describeFormatSelectorContract(() => createFormatSelector('webp', { lossy: true }), { label: 'webp, lossy' });
describeFormatSelectorContract(() => createFormatSelector('jpeg'), { label: 'jpeg' });
