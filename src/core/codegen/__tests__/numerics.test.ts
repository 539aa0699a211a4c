/**
 * Numbers that overflow (issue 18 items 8, 9): families whose activations pass float16's 65,504
 * compute in float32 on a GPU without bfloat16, and every training cell stops at the first
 * non-finite loss with one message in the user's language. (tests/test_cells_run.py runs both on
 * tiny models whose float16 activations overflow.)
 */
import { renderCells } from '..';
import type { CellRequest } from '..';
import { findModel, modelFromConfig } from '../../catalog';
import { findGpu } from '../../gpu';

const mt5 = findModel('google/mt5-base')!;
const gemma2 = findModel('google/gemma-2-2b-it')!;
const codeOf = (request: CellRequest, step: string) => renderCells(request).find(c => c.step === step && c.cell_type === 'code')!.source;
const markdownOf = (request: CellRequest, step: string) => renderCells(request).find(c => c.step === step && c.cell_type === 'markdown')!.source;

describe('families that overflow float16', () => {
  it('mT5 on a T4: weights and training in float32, no fp16 AMP, and the load markdown says why', () => {
    const request: CellRequest = { model: mt5, gpu: findGpu('t4'), method: 'lora', task: 'translation' };
    expect(codeOf(request, 'load')).toContain('dtype=torch.float32');
    const train = codeOf(request, 'train');
    expect(train).toContain('fp16=False,');
    expect(train).toContain('bf16=False,');
    expect(markdownOf(request, 'load')).toContain('This family (`mt5`) overflows float16');
    // "try it" runs without a float16 autocast.
    expect(codeOf(request, 'try')).not.toContain('torch.autocast');
  });

  it('mT5 QLoRA on a T4 computes its 4-bit layers in float32; on an A100 in bfloat16', () => {
    expect(codeOf({ model: mt5, gpu: findGpu('t4'), method: 'qlora', task: 'translation' }, 'quantize')).toContain('bnb_4bit_compute_dtype=torch.float32');
    const a100: CellRequest = { model: mt5, gpu: findGpu('a100-40gb'), method: 'lora', task: 'translation' };
    expect(codeOf(a100, 'train')).toContain('bf16=True,');
    expect(markdownOf(a100, 'load')).not.toContain('overflows float16');
  });

  it('counts mT5\'s float32 weights in the T4 estimate', () => {
    const estimate = (settings: CellRequest['settings']) => Number(/\*\*([\d,]+) MiB\*\*/.exec(markdownOf({ model: mt5, gpu: findGpu('t4'), method: 'lora', task: 'translation', settings }, 'train'))![1].replace(/,/g, ''));
    // The weights in 4 bytes, not 2: hundreds of MiB more (the memory wing's count of mT5-base).
    expect(estimate(undefined) - estimate({ dtype: 'fp16' })).toBeGreaterThan(500);
  });

  it('Gemma-3, read from a config.json, is one of them; Gemma-2 keeps fp16 on a T4 (soft-capped; the guard catches the rest)', () => {
    const gemma3 = modelFromConfig({ model_type: 'gemma3_text', architectures: ['Gemma3ForCausalLM'], hidden_size: 640, intermediate_size: 2048, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 1, head_dim: 256, vocab_size: 262144 }, '/models/gemma-3-270m');
    expect(codeOf({ model: gemma3, gpu: findGpu('t4'), method: 'lora', modelPath: '/models/gemma-3-270m' }, 'train')).toContain('fp16=False,');
    expect(codeOf({ model: gemma2, gpu: findGpu('t4'), method: 'lora' }, 'train')).toContain('fp16=True,');
  });
});

describe('the non-finite-loss guard', () => {
  const bert = findModel('bert-base-chinese')!;
  const qwen = findModel('Qwen/Qwen2.5-7B-Instruct')!;
  it.each([
    ['sft', { model: qwen, gpu: findGpu('t4'), method: 'qlora' }],
    ['seq2seq', { model: mt5, gpu: findGpu('t4'), method: 'lora', task: 'translation' }],
    ['classifier', { model: bert, gpu: findGpu('a100-40gb'), method: 'full', task: 'classification' }]
  ] as const)('every trainer (%s) logs nan as it is and stops on it before training on', (_, request) => {
    const train = codeOf(request as CellRequest, 'train');
    expect(train).toContain('logging_nan_inf_filter=False,');
    expect(train).toContain('trainer.add_callback(StopOnNonFiniteLoss())');
    expect(train.indexOf('add_callback')).toBeLessThan(train.indexOf('train_result = trainer.train()'));
    expect(train).toContain('raise FloatingPointError(');
  });

  it('under fp16 it names the overflow, float16\'s limit, this family and the fix; in bf16 the learning rate and the data', () => {
    const fp16 = codeOf({ model: qwen, gpu: findGpu('t4'), method: 'qlora' }, 'train');
    expect(fp16).toContain('the numbers overflowed. This GPU trains in float16, whose largest number is 65,504, and qwen2 models can pass it. Set fp16=False');
    const bf16 = codeOf({ model: qwen, gpu: findGpu('a100-40gb'), method: 'qlora' }, 'train');
    expect(bf16).toContain('In bfloat16 that is rarely an overflow: the usual causes are a learning rate too high for this model (now 0.0002; try 0.00002)');
  });

  it.each([
    ['zh-Hans', '训练损失在第 {step} 步变成了 {loss}：数值溢出了。'],
    ['zh-Hant', '訓練損失在第 {step} 步變成了 {loss}：數值溢位了。']
  ] as const)('speaks the user\'s language (%s), keeping {step} and {loss} for Python', (language, words) => {
    expect(codeOf({ model: qwen, gpu: findGpu('t4'), method: 'qlora', language }, 'train')).toContain(words);
  });
});
