import { describeDedupeContract } from '@upframe/plugin-kit';
import { createDedupe } from './built-in-container.js';

describeDedupeContract(() => createDedupe('off'), { label: 'off' });
describeDedupeContract(() => createDedupe('exact'), { label: 'exact', detectsIdentical: true });
describeDedupeContract(() => createDedupe('exact', { hash: 'md5', verify: true }), { label: 'exact, md5 + verify', detectsIdentical: true });
describeDedupeContract(() => createDedupe('near'), { label: 'near', detectsIdentical: true });
