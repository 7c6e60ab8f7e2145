import { describeBackendContract } from '@upframe/plugin-kit';
import { LanczosBackend } from 'upframe-plugin-lanczos';

const create = () => new LanczosBackend({ model: 'lanczos3-x2', device: 'cpu' });

describeBackendContract(create, {
  label: 'lanczos example plugin, lanczos3-x2',
  scale: 2,
  maxBatch: 64,
  deterministic: true,
  // Its initialize() throws an Error carrying a `code`, not an UpframeError: typed by the contract's reading.
  failingFactory: () => new LanczosBackend({ model: 'lanczos3-x2', device: 'cuda' }),
});
