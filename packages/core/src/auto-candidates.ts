import { extname } from 'node:path';
import type { DeviceRequest } from './contracts/inference-backend.js';
import type { BackendRegistry, BackendRegistryEntry } from './registry.js';

/** The name `--backend` takes to choose by priority instead of by name. */
export const AUTO_BACKEND = 'auto';

/** One (backend, device) pair `--backend auto` may try, in the order it tries them. */
export interface AutoCandidate {
  readonly backend: string;
  /** The device the backend is created with for this try. */
  readonly device: DeviceRequest;
  readonly priority: number;
  readonly origin?: string;
}

/** `cuda` and `cuda:N` are one kind of device; the rest are their own kind. */
export function deviceKind(device: string): string {
  return device === 'cuda' || device.startsWith('cuda:') ? 'cuda' : device;
}

/**
 * Where a declared candidate lands under the user's `--device`: unchanged for `auto`; the user's
 * device when the kinds agree (`cuda` → `cuda:1`) or the candidate lets the backend choose;
 * `undefined` when the candidate is for another kind of device than the one asked for.
 */
function placeOn(candidate: DeviceRequest, requested: DeviceRequest): DeviceRequest | undefined {
  if (requested === 'auto') return candidate;
  if (candidate === 'auto' || deviceKind(candidate) === deviceKind(requested)) return requested;
  return undefined;
}

function candidatesOf(entry: BackendRegistryEntry, requested: DeviceRequest): AutoCandidate[] {
  // An entry that declares nothing is tried once, as `--backend <name> --device <requested>` would run it.
  const specs = entry.autoCandidates ?? [{ device: 'auto' as const, priority: entry.priority ?? 0 }];
  const placed: AutoCandidate[] = [];
  for (const spec of specs) {
    const device = placeOn(spec.device, requested);
    if (device === undefined || placed.some((c) => c.device === device)) continue;
    placed.push({ backend: entry.name, device, priority: spec.priority, origin: entry.origin });
  }
  return placed;
}

/**
 * Every candidate `--backend auto` tries for `device`, highest priority first; ties keep the
 * registry's order (its own priority, then name). A registered entry named `auto` is never a
 * candidate: the name is taken by the selection itself.
 */
export function autoCandidates(registry: BackendRegistry, device: DeviceRequest): AutoCandidate[] {
  const all = registry
    .list()
    .filter((entry) => entry.name !== AUTO_BACKEND)
    .flatMap((entry) => candidatesOf(entry, device));
  // Array.prototype.sort is stable, so equal priorities stay in registry order.
  return all.sort((a, b) => b.priority - a.priority);
}

/**
 * The model's format when its file name says it (`.onnx`, an ncnn `.param`, a layers `model.json`); `undefined`
 * for a catalog id, whose format only the catalog knows (callers pass it in then).
 */
export function modelFormatOf(model: string): string | undefined {
  const ext = extname(model).toLowerCase();
  if (ext === '.onnx') return 'onnx';
  if (ext === '.param') return 'ncnn';
  if (ext === '.json') return 'tfjs-layers';
  return undefined;
}
