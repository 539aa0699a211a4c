/**
 * Loading what the guide names (issue 18 items 7, 11, 14): GPT2-chinese's BERT tokenizer without an
 * end-of-text token, 4-bit inference from the CLI, 4-bit models that cannot spill to the CPU, and
 * each GPU's peak beside its share when device_map="auto" spreads the layers.
 */
import { renderCells, CellRequestError } from '..';
import type { CellRequest } from '..';
import { findModel } from '../../catalog';
import { findGpu } from '../../gpu';
import { main } from '../../../cli';

const codeOf = (request: CellRequest, step: string) => renderCells(request).find(c => c.step === step && c.cell_type === 'code')!.source;
const markdownOf = (request: CellRequest, step: string) => renderCells(request).find(c => c.step === step && c.cell_type === 'markdown')!.source;

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, s => (out += s), s => (err += s));
  return { code, out, err };
}

describe('GPT2-chinese: a BERT tokenizer with no end-of-text token', () => {
  const gpt2zh = findModel('uer/gpt2-chinese-cluecorpussmall')!;

  it('the load cell makes [SEP] the eos when there is none, says so, and stops generating there', () => {
    const request: CellRequest = { model: gpt2zh, gpu: findGpu('t4'), method: 'lora', language: 'zh-Hans' };
    const load = codeOf(request, 'load');
    const sep = load.indexOf('tokenizer.eos_token = tokenizer.sep_token');
    expect(sep).toBeGreaterThan(0);
    expect(sep).toBeLessThan(load.indexOf('tokenizer.pad_token = tokenizer.eos_token'));
    expect(load).toContain('这个分词器没有文本结束 token：改用 {token} 结束每段训练文本');
    expect(load).toContain('model.generation_config.eos_token_id = tokenizer.eos_token_id');
    expect(markdownOf({ ...request, language: 'en' }, 'load')).toContain("This model's tokenizer is a BERT one, with no end-of-text token");
  });

  it('an encoder keeps its tokenizer as it is; a Llama gets no BERT note', () => {
    expect(codeOf({ model: findModel('bert-base-chinese')!, gpu: findGpu('t4'), method: 'lora', task: 'classification' }, 'load')).not.toContain('sep_token');
    expect(markdownOf({ model: findModel('Qwen/Qwen2.5-7B-Instruct')!, gpu: findGpu('t4'), method: 'qlora' }, 'load')).not.toContain('BERT');
  });
});

describe('4-bit weights', () => {
  const qwen7 = findModel('Qwen/Qwen2.5-7B-Instruct')!;
  const llama70 = findModel('meta-llama/Llama-3.3-70B-Instruct')!;

  it('cells --dtype nf4 for inference writes the quantize step and a 4-bit load; int8 an 8-bit one', async () => {
    const nf4 = await run(['cells', 'Qwen/Qwen2.5-7B-Instruct', '--gpu', 't4', '--method', 'inference', '--dtype', 'nf4']);
    expect(nf4.err).toBe('');
    expect(nf4.out).toContain('load_in_4bit=True');
    expect(nf4.out).toContain('quantization_config=quant_config');
    const int8 = await run(['cells', 'Qwen/Qwen2.5-7B-Instruct', '--gpu', 't4', '--method', 'inference', '--dtype', 'int8']);
    expect(int8.out).toContain('load_in_8bit=True');
    const plain = await run(['cells', 'Qwen/Qwen2.5-7B-Instruct', '--gpu', 't4', '--method', 'inference']);
    expect(plain.out).not.toContain('quant_config');
    const wrong = await run(['cells', 'Qwen/Qwen2.5-7B-Instruct', '--gpu', 't4', '--method', 'lora', '--dtype', 'nf4']);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('--dtype is for --method inference');
  });

  it('a 4-bit load promises no spilling to the CPU; a 16-bit one still may spill', () => {
    const q = codeOf({ model: qwen7, gpu: findGpu('t4'), method: 'qlora' }, 'load');
    expect(q).toContain('quantized layers cannot spill to the CPU, so all must fit');
    expect(q).not.toContain('spilling to CPU');
    expect(codeOf({ model: qwen7, gpu: findGpu('a100-40gb'), method: 'lora' }, 'load')).toContain('spilling to CPU only if they do not fit');
  });

  it('refuses a 4-bit model whose weights alone pass the GPU, with the reason; one that fits is not refused', () => {
    const too_big: CellRequest = { model: llama70, gpu: findGpu('t4'), method: 'qlora' };
    expect(() => renderCells(too_big)).toThrow(CellRequestError);
    expect(() => renderCells(too_big)).toThrow(/Llama-3\.3-70B-Instruct in 4-bit needs [\d.]+ GiB for its weights alone, more than the 15\.\d GiB of a Tesla T4: bitsandbytes' 4-bit layers cannot be spilled to the CPU/);
    expect(() => renderCells({ model: llama70, gpu: findGpu('t4'), method: 'inference', settings: { dtype: 'nf4' } })).toThrow(/cannot be spilled/);
    expect(() => renderCells({ model: llama70, gpu: findGpu('a100-80gb'), method: 'qlora' })).not.toThrow();
    expect(() => renderCells({ model: qwen7, gpu: findGpu('t4'), method: 'qlora' })).not.toThrow();
  });
});

describe('device_map="auto" over several GPUs', () => {
  it('prints each GPU\'s peak beside the plan\'s figure for it (the busiest decides an OOM)', () => {
    const request: CellRequest = { model: findModel('Qwen/Qwen2.5-32B-Instruct')!, gpu: findGpu('2xt4'), method: 'qlora' };
    const train = codeOf(request, 'train');
    const figures = /per_gpu_estimate_mib = \[(\d+), (\d+)\]/.exec(train);
    expect(figures).not.toBeNull();
    expect(Number(figures![1])).toBeGreaterThan(1000);
    expect(train).toContain('print(f"  GPU {d}: {torch.cuda.max_memory_reserved(d) / 2**20:,.0f} MiB measured, "');
    // One GPU, and a launched run, have no per-GPU lines.
    expect(codeOf({ ...request, gpu: findGpu('t4'), model: findModel('Qwen/Qwen2.5-7B-Instruct')! }, 'train')).not.toContain('per_gpu_estimate_mib');
  });
});
