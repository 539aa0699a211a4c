/**
 * The CLI's `--hub`: the same `HubAnswer` the kernel's snippet prints (python_snippets/hub_config.py),
 * fetched with node's own fetch, so the core judges both the same way (catalog/hub.ts).
 */
import { HubAnswer, HubFile, HubSource, hubFileUrl } from '../core/catalog';

function token(source: HubSource): string | undefined {
  const t = process.env.HF_TOKEN;
  return source !== 'modelscope' && t ? t.trim() : undefined;
}

async function fetchFile(url: string, source: HubSource, timeoutMs: number, range?: [number, number]): Promise<{ file: HubFile; body?: Uint8Array }> {
  const headers: Record<string, string> = { 'User-Agent': 'model-advisor' };
  const t = token(source);
  if (t) headers.Authorization = `Bearer ${t}`;
  if (range) headers.Range = `bytes=${range[0]}-${range[1]}`;
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    if (response.status !== 200 && response.status !== 206) return { file: { status: response.status, detail: response.statusText } };
    return { file: { status: 200 }, body: new Uint8Array(await response.arrayBuffer()) };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return { file: { status: -1, detail: `no answer within ${timeoutMs / 1000} s` } };
    return { file: { status: 0, detail: err.cause?.code ?? err.cause?.message ?? err.message } };
  }
}

function asJson(got: { file: HubFile; body?: Uint8Array }, body = got.body): HubFile {
  if (got.file.status !== 200 || body === undefined) return got.file;
  try {
    return { status: 200, json: JSON.parse(Buffer.from(body).toString('utf8')) };
  } catch (e) {
    return { status: 422, detail: `not JSON: ${(e as Error).message}` };
  }
}

/** config.json, then the safetensors index, else the single file's header; no weights. */
export async function fetchHubAnswer(id: string, source: HubSource, endpoint: string | undefined, timeoutMs: number): Promise<HubAnswer> {
  const url = (file: string) => hubFileUrl(id, file, source, endpoint);
  const answer: HubAnswer = { id, source, config: asJson(await fetchFile(url('config.json'), source, timeoutMs)) };
  if (answer.config.status !== 200) return answer;
  answer.index = asJson(await fetchFile(url('model.safetensors.index.json'), source, timeoutMs));
  if (answer.index.status !== 200) {
    const head = await fetchFile(url('model.safetensors'), source, timeoutMs, [0, 7]);
    if (head.body && head.body.length >= 8) {
      const size = Number(Buffer.from(head.body).readBigUInt64LE(0));
      if (size > 0 && size <= 100 * 1024 * 1024) {
        const header = await fetchFile(url('model.safetensors'), source, timeoutMs, [8, 8 + size - 1]);
        answer.header = asJson(header, header.body?.slice(0, size));
      }
    }
  }
  return answer;
}
