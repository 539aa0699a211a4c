/**
 * Any model on a hub, by its id: where its config.json (and safetensors index) live for each
 * download source, and what a fetch's answer means. The fetching itself happens in a shell —
 * in the notebook's kernel (python_snippets/hub_config.py, so the user's network, mirror and
 * token are the ones used) or in node (the CLI's `--hub`) — and both hand back a `HubAnswer`.
 */
import { ModelConfig, ModelEntry } from '../types';
import { countParameters, UnknownFamilyError } from '../params';
import { modelFromConfig } from './fromConfig';
import { CatalogError } from './validate';

/** Where downloads come from, as the settings name it (codegen `WeightSource`). */
export type HubSource = 'hf' | 'mirror' | 'modelscope';

export const HF_ENDPOINT = 'https://huggingface.co';
export const MODELSCOPE_ENDPOINT = 'https://www.modelscope.cn';

/** A file of a repository at its main revision, on a Hugging Face-style hub or on ModelScope. */
export function hubFileUrl(id: string, file: string, source: HubSource, endpoint?: string): string {
  const quoted = id.split('/').map(encodeURIComponent).join('/');
  if (source === 'modelscope') {
    // ModelScope's file API (what modelscope.hub.api.HubApi.get_file_url builds).
    return `${(endpoint ?? MODELSCOPE_ENDPOINT).replace(/\/+$/, '')}/api/v1/models/${quoted}/repo?Revision=master&FilePath=${encodeURIComponent(file)}`;
  }
  // huggingface_hub's hf_hub_url: {endpoint}/{repo_id}/resolve/{revision}/{filename}.
  return `${(endpoint ?? HF_ENDPOINT).replace(/\/+$/, '')}/${quoted}/resolve/main/${file}`;
}

/**
 * What a fetcher saw, file by file: the parsed JSON, or why there is none. `status` is the
 * HTTP status when the server answered, 0 when it did not (offline, refused, DNS), -1 for a
 * timeout.
 */
export interface HubFile {
  status: number;
  json?: unknown;
  detail?: string;
}

export interface HubAnswer {
  id: string;
  source: HubSource;
  config: HubFile;
  /** model.safetensors.index.json, when the checkpoint is sharded. */
  index?: HubFile;
  /** The header of a single model.safetensors (its first 8 + n bytes), when not sharded. */
  header?: HubFile;
}

export type HubFailure = 'gated' | 'missing' | 'offline' | 'timeout' | 'remote_code' | 'bad_config' | 'bad_id';

export type HubResult = { ok: true; model: ModelEntry } | { ok: false; code: HubFailure; message: string };

const SAFETENSORS_BYTES: Record<string, number> = { F64: 8, F32: 4, BF16: 2, F16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1, F8_E4M3: 1, F8_E5M2: 1 };
const STORAGE: Record<string, 'fp32' | 'bf16' | 'fp16'> = { F32: 'fp32', BF16: 'bf16', F16: 'fp16' };

/** The stored size (and the dtype most bytes are in) from a safetensors header. */
function checkpointFromHeader(header: unknown): { total_bytes: number; dtype?: 'fp32' | 'bf16' | 'fp16' } | null {
  if (header === null || typeof header !== 'object') return null;
  let total = 0;
  const byDtype = new Map<string, number>();
  for (const [name, t] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__' || t === null || typeof t !== 'object') continue;
    const { dtype, shape } = t as { dtype?: string; shape?: number[] };
    if (typeof dtype !== 'string' || !Array.isArray(shape)) continue;
    const bytes = shape.reduce((a, b) => a * b, 1) * (SAFETENSORS_BYTES[dtype] ?? 2);
    total += bytes;
    byDtype.set(dtype, (byDtype.get(dtype) ?? 0) + bytes);
  }
  if (total === 0) return null;
  const main = [...byDtype.entries()].sort((a, b) => b[1] - a[1])[0][0];
  return STORAGE[main] ? { total_bytes: total, dtype: STORAGE[main] } : { total_bytes: total };
}

function failure(code: HubFailure, message: string): HubResult {
  return { ok: false, code, message };
}

const SOURCE_WORDS: Record<HubSource, string> = { hf: 'Hugging Face', mirror: 'the mirror', modelscope: 'ModelScope' };

/**
 * A fetch's answer → a catalog row, or the failure a user reads: gated (401/403), missing
 * (404), offline, a timeout, a family only the repository's own code knows, a broken config.
 */
export function modelFromHub(answer: HubAnswer): HubResult {
  const { id, source, config } = answer;
  const where = SOURCE_WORDS[source] ?? source;
  if (config.status === 401 || config.status === 403) {
    return failure('gated', `${id} is gated or private on ${where} (HTTP ${config.status}): accept its licence on the model page, then log in (HF_TOKEN or huggingface-cli login) and try again`);
  }
  if (config.status === 404) {
    return failure('missing', `${where} has no model ${id} (HTTP 404): check the spelling, owner/name`);
  }
  if (config.status === -1) {
    return failure('timeout', `${where} did not answer within the time allowed for ${id}${config.detail ? ` (${config.detail})` : ''}: the network may be slow or blocked; try a mirror or ModelScope`);
  }
  if (config.status === 0) {
    return failure('offline', `cannot reach ${where} for ${id}${config.detail ? ` (${config.detail})` : ''}: this runtime looks offline; try a mirror, ModelScope, or a local config.json`);
  }
  if (config.status !== 200 || config.json === undefined) {
    return failure('bad_config', `${where} answered HTTP ${config.status} for the config.json of ${id}${config.detail ? ` (${config.detail})` : ''}`);
  }
  let model: ModelEntry;
  try {
    model = modelFromConfig(config.json, id);
  } catch (e) {
    return failure(e instanceof CatalogError && /neither a Hugging Face id|is a URL|needs an id/.test(e.message) ? 'bad_id' : 'bad_config', (e as Error).message);
  }
  let counted = true;
  try {
    countParameters(model.config as ModelConfig);
  } catch (e) {
    // A family the counter does not know is still a model: the panel traces it with the kernel's
    // transformers ("Measure exactly": the trace is its estimate; a family that is the
    // repository's own code only on the user's explicit click), the CLI points to the tracer.
    if (!(e instanceof UnknownFamilyError)) return failure('bad_config', (e as Error).message);
    counted = false;
  }
  const checkpoint = { ...(model.checkpoint ?? {}) } as NonNullable<ModelEntry['checkpoint']>;
  const total = (answer.index?.json as { metadata?: { total_size?: unknown } } | undefined)?.metadata?.total_size;
  if (answer.index?.status === 200 && typeof total === 'number' && total > 0) {
    checkpoint.total_bytes = total;
    checkpoint.format = 'safetensors';
  } else if (answer.header?.status === 200) {
    const seen = checkpointFromHeader(answer.header.json);
    if (seen) {
      checkpoint.total_bytes = seen.total_bytes;
      checkpoint.largest_shard_bytes = seen.total_bytes;
      checkpoint.format = 'safetensors';
      if (seen.dtype) checkpoint.dtype = seen.dtype;
    }
  }
  if (checkpoint.total_bytes !== undefined && checkpoint.dtype === undefined) checkpoint.dtype = 'bf16';
  if (checkpoint.dtype !== undefined) model = { ...model, checkpoint };
  const uncounted = counted ? '' : ` The estimator does not count the "${String(model.config.model_type)}" family${model.trust_remote_code ? ' (its architecture is the repository’s own code)' : ''}: trace it (Measure exactly, or python -m model_advisor measure).`;
  model = { ...model, notes: `Fetched from ${where}: config.json${checkpoint.total_bytes ? ', stored size from the safetensors ' + (answer.index?.status === 200 ? 'index' : 'header') : ''}.${uncounted}` };
  return { ok: true, model };
}
