import { UpframeError } from '@upframe/core';

/** `extra.clusterPart` of the video sink: this run writes one part of a cluster job. */
export interface ClusterPartOption {
  readonly index: number;
  /** The part's first frame (the pipeline starts there, as a resume does). */
  readonly firstFrame: number;
  /** Pts of the input's frame 0 in the input's time base: the output timeline's origin, as in a local run. */
  readonly originPts: number;
  /** Input identity and pixel-affecting settings, recorded with the part (see cluster-part-store.ts). */
  readonly fingerprint: string;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function clusterPartOf(extra: Readonly<Record<string, unknown>> | undefined): ClusterPartOption | undefined {
  const v = extra?.clusterPart;
  if (v === undefined) return undefined;
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  if (!isCount(o.index) || !isCount(o.firstFrame) || typeof o.originPts !== 'number' || !Number.isSafeInteger(o.originPts) || typeof o.fingerprint !== 'string' || !o.fingerprint) {
    throw new UpframeError('USAGE', `option "clusterPart" must be { index, firstFrame, originPts, fingerprint }, got ${JSON.stringify(v)}`);
  }
  return { index: o.index, firstFrame: o.firstFrame, originPts: o.originPts, fingerprint: o.fingerprint };
}
