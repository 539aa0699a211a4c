/**
 * Recipe facts of the families added for issue 19, as the cells show them: Gemma 3's fp16
 * warning, gpt-oss's eager attention and its refused QLoRA, Qwen3.5's thinking switch.
 */
import { renderCells, toPercentScript, CellRequestError } from '..';
import { findModel } from '../../catalog';
import { findGpu } from '../../gpu';

const model = (id: string) => findModel(id)!;
const load = (id: string, gpu: string, method: 'qlora' | 'lora' = 'qlora') =>
  renderCells({ model: model(id), gpu: findGpu(gpu), method, steps: ['load'] }).map(c => c.source).join('\n');

describe('current families in the cells', () => {
  it('Gemma 3 on a T4 (fp16) warns that its activations can overflow; on an A100 (bf16) it does not', () => {
    expect(load('google/gemma-3-4b-it', 't4')).toContain('transformers issue #39972');
    expect(load('google/gemma-3-1b-it', 't4')).toContain('can overflow float16');
    expect(load('google/gemma-3-4b-it', 'a100-40gb')).not.toContain('#39972');
    expect(load('Qwen/Qwen3.5-4B', 't4')).not.toContain('#39972');
  });

  it('gpt-oss loads with eager attention, and its QLoRA is refused with the reason', () => {
    expect(load('openai/gpt-oss-20b', 'a100-80gb', 'lora')).toContain('attn_implementation="eager"');
    expect(() => load('openai/gpt-oss-20b', 'a100-80gb', 'qlora')).toThrow(CellRequestError);
    expect(() => load('openai/gpt-oss-20b', 'a100-80gb', 'qlora')).toThrow(/MXFP4 experts: transformers refuses a bitsandbytes 4-bit config/);
  });

  it('Qwen3.5 gets the thinking switch that Qwen3 has, and sdpa', () => {
    const script = toPercentScript(renderCells({ model: model('Qwen/Qwen3.5-4B'), gpu: findGpu('t4'), method: 'qlora' }));
    expect(script).toContain('enable_thinking=False');
    expect(load('Qwen/Qwen3.5-4B', 't4')).toContain('attn_implementation="sdpa"');
  });
});
