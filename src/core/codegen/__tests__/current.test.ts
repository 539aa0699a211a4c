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
  it('Gemma 3 on a T4 (no bf16) loads and computes in float32, and says why; on an A100 bf16; Qwen3.5 keeps fp16', () => {
    // Its activations overflow float16 (transformers#36822, #39972): issue 18 item 8's decision, codegen/plan.ts.
    const markdown = (id: string, gpu: string) => renderCells({ model: model(id), gpu: findGpu(gpu), method: 'qlora', steps: ['load'] }).find(c => c.cell_type === 'markdown' && c.step === 'load')!.source;
    expect(load('google/gemma-3-4b-it', 't4')).toContain('bnb_4bit_compute_dtype=torch.float32');
    expect(markdown('google/gemma-3-1b-it', 't4')).toContain('overflows float16');
    expect(load('google/gemma-3-4b-it', 'a100-40gb')).toContain('bnb_4bit_compute_dtype=torch.bfloat16');
    expect(markdown('Qwen/Qwen3.5-4B', 't4')).not.toContain('overflows float16');
    expect(load('Qwen/Qwen3.5-4B', 't4')).toContain('bnb_4bit_compute_dtype=torch.float16');
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

  it('Gemma 3n loads its text model alone (no timm, no towers), Gemma 4 with its towers, Gemma 4 E-sizes without naming sdpa', () => {
    const g3n = load('google/gemma-3n-E2B-it', 't4');
    expect(g3n).toContain('from transformers import AutoTokenizer, Gemma3nForCausalLM');
    expect(g3n).toContain('model = Gemma3nForCausalLM.from_pretrained(');
    expect(g3n).toContain('bnb_4bit_compute_dtype=torch.float32');
    // The E-sizes' audio tower refuses sdpa (Gemma4AudioModel): transformers picks per part, and the markdown says so.
    const e2b = renderCells({ model: model('google/gemma-4-E2B-it'), gpu: findGpu('t4'), method: 'qlora', steps: ['load'] });
    expect(e2b.map(c => c.source).join('\n')).toContain('model = AutoModelForCausalLM.from_pretrained(');
    expect(e2b.map(c => c.source).join('\n')).not.toContain('attn_implementation');
    expect(e2b.find(c => c.cell_type === 'markdown' && c.step === 'load')!.source).toContain('audio tower supports only the plain');
    expect(load('google/gemma-4-31B-it', 'a100-80gb')).toContain('attn_implementation="sdpa"');
    expect(load('google/gemma-4-31B-it', 'a100-80gb')).toContain('bnb_4bit_compute_dtype=torch.bfloat16');
  });
});
