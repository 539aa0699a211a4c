/**
 * The launch step: on several GPUs the cells write accelerate's config for the strategy the
 * memory wing picked (or the user's), the script, and accelerate launch — and nothing loads the
 * model into the notebook's kernel. One GPU, and a model only device_map="auto" fits, keep the usual cells.
 */
import { findModel } from '../../catalog';
import { findGpu } from '../../gpu';
import { CellRequestError, renderCells } from '../index';
import type { CellRequest } from '../index';

const model = (id: string) => findModel(id)!;
const codeOf = (request: CellRequest) => renderCells(request).filter(c => c.cell_type === 'code');
const sourceOf = (request: CellRequest) => renderCells(request).map(c => c.source).join('\n');

describe('the launch step', () => {
  it('Qwen2.5-14B QLoRA on 2×T4: DDP by default, whole copies on each process device, fp16', () => {
    const request: CellRequest = { model: model('Qwen/Qwen2.5-14B-Instruct'), gpu: findGpu('2xt4'), method: 'qlora' };
    expect(codeOf(request).map(c => c.step)).toEqual(['install', 'source', 'launch', 'launch', 'launch']);
    const source = sourceOf(request);
    expect(source).toContain('"distributed_type": "MULTI_GPU"');
    expect(source).toContain("device_map=state.device");
    expect(source).toContain('"mixed_precision": "fp16"');
    expect(source).not.toContain('device_map="auto"');
  });

  it('its markdown gives the speed over both T4s and the PCIe link assumed; a CPU rehearsal gives none', () => {
    const request: CellRequest = { model: model('Qwen/Qwen2.5-14B-Instruct'), gpu: findGpu('2xt4'), method: 'qlora' };
    const markdown = renderCells(request).filter(c => c.cell_type === 'markdown' && c.step === 'launch').map(c => c.source).join('\n');
    expect(markdown).toMatch(/Estimated speed: about \*\*[\d,]+ tokens\/s\*\* over the 2 GPUs, a step of [\d,]+ tokens about \d+ (s|min), with PCIe 3\.0 x16 between them/);
    // The script's first run is 60 steps (issue 18 item 5), not one pass over the data.
    expect(markdown).toMatch(/Its first 60 steps take about \d[^;]*; one pass over your data/);
    expect(markdown).not.toContain('max_steps=-1`)');
    const rehearsed = renderCells({ ...request, simulateOnCpu: true }).filter(c => c.cell_type === 'markdown').map(c => c.source).join('\n');
    expect(rehearsed).not.toMatch(/Estimated speed/);
  });

  it.each([
    ['en', 'DDP (a full copy per GPU)'],
    ['zh-Hans', 'DDP（每张 GPU 一份完整副本）'],
    ['zh-Hant', 'DDP（每張 GPU 一份完整副本）']
  ] as const)('names the strategy in the markdown in the chosen language (%s)', (language, words) => {
    const cells = renderCells({ model: model('Qwen/Qwen2.5-14B-Instruct'), gpu: findGpu('2xt4'), method: 'qlora', language });
    const intro = cells.find(c => c.step === 'launch' && c.cell_type === 'markdown')!.source;
    expect(intro).toContain(words);
    if (language !== 'en') expect(intro).not.toContain('a full copy');
  });

  it.each([
    ['fsdp', '"distributed_type": "FSDP"', '"fsdp_offload_params": False'],
    ['fsdp-offload', '"distributed_type": "FSDP"', '"fsdp_offload_params": True'],
    ['zero2', '"distributed_type": "DEEPSPEED"', '"stage": 2'],
    ['zero3-offload', '"distributed_type": "DEEPSPEED"', '"offload_param": {"device": "cpu"}']
  ] as const)('--strategy %s writes its own section', (strategy, kind, detail) => {
    const source = sourceOf({ model: model('meta-llama/Llama-3.3-70B-Instruct'), gpu: findGpu('8xh100-80gb'), method: 'lora', strategy });
    expect(source).toContain(kind);
    expect(source).toContain(detail);
    expect(source).toContain('"num_processes": 8');
    // An H100 computes in bf16: accelerate's mixed precision, or DeepSpeed's "auto" filled from the training settings.
    expect(source).toContain(strategy.startsWith('zero') ? '"bf16": {"enabled": "auto"}' : '"mixed_precision": "bf16"');
    expect(source).toContain('bf16=True');
  });

  it('--simulate-on-cpu rehearses the same strategy as processes on this CPU, in float32', () => {
    const source = sourceOf({ model: model('Qwen/Qwen2.5-14B-Instruct'), gpu: findGpu('2xt4'), method: 'qlora', strategy: 'fsdp', simulateOnCpu: true });
    expect(source).toContain('"use_cpu": True');
    expect(source).toContain('"fsdp_sync_module_states": False');
    expect(source).toContain('bnb_4bit_quant_storage=torch.float32');
  });

  it('a model that only device_map="auto" fits keeps the usual cells, whose load spreads the layers', () => {
    const steps = codeOf({ model: model('Qwen/Qwen2.5-32B-Instruct'), gpu: findGpu('2xt4'), method: 'qlora' }).map(c => c.step);
    expect(steps).toContain('load');
    expect(steps).not.toContain('launch');
  });

  it('refuses the launch step on one GPU and a strategy that does not apply, in words', () => {
    expect(() => renderCells({ model: model('Qwen/Qwen2.5-7B-Instruct'), gpu: findGpu('t4'), method: 'qlora', steps: ['launch'] })).toThrow(CellRequestError);
    expect(() => renderCells({ model: model('Qwen/Qwen2.5-7B-Instruct'), gpu: findGpu('t4'), method: 'qlora', steps: ['launch'] })).toThrow(/several GPUs; Tesla T4 is one/);
    expect(() => renderCells({ model: model('Qwen/Qwen2.5-7B-Instruct'), gpu: findGpu('2xt4'), method: 'inference', steps: ['launch'] })).toThrow(/the launch step trains/);
  });
});

describe('the launched script trains as the single-GPU cells do (issue 18 items 1, 3-6)', () => {
  const qwen14 = model('Qwen/Qwen2.5-14B-Instruct');
  const llama70 = model('meta-llama/Llama-3.3-70B-Instruct');
  const scriptOf = (request: CellRequest) => codeOf(request).filter(c => c.step === 'launch')[1].source;
  const configOf = (request: CellRequest) => codeOf(request).filter(c => c.step === 'launch')[0].source;
  const installOf = (request: CellRequest) => codeOf(request).find(c => c.step === 'install')!.source;

  it.each(['ddp', 'fsdp'] as const)('QLoRA on 2×T4 (%s): the adapters TRL made bfloat16 are back in fp32 after SFTTrainer(...), before training', strategy => {
    const script = scriptOf({ model: qwen14, gpu: findGpu('2xt4'), method: 'qlora', strategy });
    const built = script.indexOf('trainer = SFTTrainer(');
    const recast = script.indexOf('param.data = param.data.float()');
    expect(built).toBeGreaterThan(0);
    expect(recast).toBeGreaterThan(built);
    expect(recast).toBeLessThan(script.indexOf('trainer.train()'));
    expect(script).toContain('fp16=True');
  });

  it('DeepSpeed casts the parameters itself: no recast under ZeRO; LoRA without 4-bit has none either', () => {
    expect(scriptOf({ model: qwen14, gpu: findGpu('2xt4'), method: 'qlora', strategy: 'zero2' })).not.toContain('param.data.float()');
    expect(scriptOf({ model: qwen14, gpu: findGpu('2xt4'), method: 'lora', strategy: 'ddp' })).not.toContain('param.data.float()');
  });

  it.each(['zero2', 'zero2-offload', 'zero3', 'zero3-offload'] as const)('%s installs deepspeed and names no DeepSpeed optimizer', strategy => {
    const request: CellRequest = { model: llama70, gpu: findGpu('8xh100-80gb'), method: 'full', strategy };
    expect(installOf(request)).toContain('"deepspeed>=0.19,<1"');
    const config = configOf(request);
    expect(config).not.toContain('"optimizer":');
    const offload = strategy.endsWith('-offload');
    expect(config.includes('"zero_force_ds_cpu_optimizer": False')).toBe(offload);
    // Offloaded states step on the CPU: PyTorch's AdamW, not a bitsandbytes CUDA optimizer.
    if (offload) expect(scriptOf(request)).toContain('optim="adamw_torch"');
  });

  it('DDP and FSDP install no deepspeed', () => {
    for (const strategy of ['ddp', 'fsdp'] as const) {
      expect(installOf({ model: qwen14, gpu: findGpu('2xt4'), method: 'qlora', strategy })).not.toContain('deepspeed');
    }
  });

  it.each(['fsdp', 'fsdp-offload'] as const)('%s full fine-tuning syncs each micro-batch and checkpoints activations through FSDP', strategy => {
    const request: CellRequest = { model: llama70, gpu: findGpu('8xh100-80gb'), method: 'full', strategy };
    const script = scriptOf(request);
    expect(script).toContain('accelerator_config={"gradient_accumulation_kwargs": {"sync_each_batch": True}}');
    expect(script).toContain('activation_checkpointing=False');
    expect(configOf(request)).toContain('"fsdp_activation_checkpointing": True');
  });

  it('DDP keeps the Trainer\'s checkpointing and its no_sync accumulation', () => {
    const script = scriptOf({ model: qwen14, gpu: findGpu('2xt4'), method: 'qlora', strategy: 'ddp' });
    expect(script).toContain('activation_checkpointing=True');
    expect(script).not.toContain('sync_each_batch');
  });

  it('the launched script stops at the first non-finite loss too, in the user\'s language (item 9)', () => {
    const script = scriptOf({ model: qwen14, gpu: findGpu('2xt4'), method: 'qlora', language: 'zh-Hant' });
    expect(script).toContain('logging_nan_inf_filter=False,');
    expect(script.indexOf('trainer.add_callback(StopOnNonFiniteLoss())')).toBeLessThan(script.indexOf('trainer.train()'));
    expect(script).toContain('訓練損失在第 {step} 步變成了 {loss}：數值溢位了。');
  });

  it('a first run of 60 steps with a checkpoint every 20, said in the markdown; --max-steps still wins', () => {
    const request: CellRequest = { model: qwen14, gpu: findGpu('2xt4'), method: 'qlora' };
    const script = scriptOf(request);
    expect(script).toContain('max_steps=60,');
    expect(script).toContain('save_strategy="steps",');
    expect(script).toContain('save_steps=20,');
    expect(script).not.toContain('save_strategy="no"');
    const intro = renderCells(request).find(c => c.step === 'launch' && c.cell_type === 'markdown')!.source;
    expect(intro).toContain('A first run of 60 steps, with a checkpoint every 20 steps');
    expect(scriptOf({ ...request, maxSteps: 500 })).toContain('max_steps=500,');
  });
});

describe('the launched script has the one-GPU cells\' head, data and loading (issue 18 item 2)', () => {
  const scriptOf = (request: CellRequest) => codeOf(request).filter(c => c.step === 'launch')[1].source;
  const twoT4 = findGpu('2xt4');

  it.each([
    ['bert-base-chinese', 'classification', 'AutoModelForSequenceClassification', 'DataCollatorWithPadding(tokenizer)'],
    ['bert-base-chinese', 'ner', 'AutoModelForTokenClassification', 'DataCollatorForTokenClassification(tokenizer)'],
    ['FacebookAI/xlm-roberta-base', 'qa', 'AutoModelForQuestionAnswering', 'return_overflowing_tokens=True'],
    ['Helsinki-NLP/opus-mt-en-zh', 'translation', 'AutoModelForSeq2SeqLM', 'DataCollatorForSeq2Seq(tokenizer, model=model)']
  ] as const)('%s (%s) on 2×T4 launches with %s and transformers\' Trainer, as on one T4', (id, task, auto, detail) => {
    const request: CellRequest = { model: model(id), gpu: twoT4, method: 'lora', task };
    const script = scriptOf(request);
    expect(script).toContain(`model = ${auto}.from_pretrained(`);
    expect(script).not.toContain('AutoModelForCausalLM');
    expect(script).not.toContain('SFTTrainer');
    expect(script).toContain('trainer = Trainer(');
    expect(script).toContain(detail);
    // The one-GPU train cell reads the same rows the same way.
    const oneGpu = codeOf({ ...request, gpu: findGpu('t4') }).find(c => c.step === 'train')!.source;
    expect(oneGpu).toContain(detail);
  });

  it('a remote-code model gets trust_remote_code in the script; one our cells cannot train is refused as on one GPU', () => {
    const script = scriptOf({ model: model('internlm/internlm2_5-7b-chat'), gpu: twoT4, method: 'qlora' });
    expect(script).toContain('tokenizer = AutoTokenizer.from_pretrained(model_path, trust_remote_code=True)');
    expect(script).toMatch(/AutoModelForCausalLM\.from_pretrained\([^)]*trust_remote_code=True,\n\)/);
    // A ChatGLM relative whose stack the cells do not know: refused as on one GPU.
    const glm2 = { ...model('THUDM/chatglm3-6b'), id: 'THUDM/chatglm2-6b' };
    const one = (() => { try { renderCells({ model: glm2, gpu: findGpu('t4'), method: 'qlora' }); return ''; } catch (e) { return (e as Error).message; } })();
    expect(one).toContain('transformer.output_layer');
    expect(() => renderCells({ model: glm2, gpu: twoT4, method: 'lora' })).toThrow(one.replace(/\.$/, ''));
    // ChatGLM3 trains on its own stack in one process: device_map over the two GPUs, no launch;
    // a launch asked for anyway (--strategy ddp) is refused with why.
    const glm3 = model('THUDM/chatglm3-6b');
    const cells = renderCells({ model: glm3, gpu: twoT4, method: 'lora' });
    expect(cells.some(c => c.step === 'launch')).toBe(false);
    expect(cells.some(c => c.step === 'train' && c.source.includes('trainer = Trainer('))).toBe(true);
    expect(() => renderCells({ model: glm3, gpu: twoT4, method: 'lora', strategy: 'ddp' })).toThrow(/transformers 4\.40\.0\), in one process/);
  });

  it('a base model chooses plain text or conversations by its chat template, as the train cell does', () => {
    const script = scriptOf({ model: model('Qwen/Qwen2.5-14B'), gpu: twoT4, method: 'qlora' });
    expect(script).toContain('dataset_name = "trl-lib/Capybara" if tokenizer.chat_template else "stanfordnlp/imdb"');
  });

  it.each([
    ['en', 'The script loads `AutoModelForTokenClassification`'],
    ['zh-Hans', '脚本加载 `AutoModelForTokenClassification`'],
    ['zh-Hant', '腳本載入 `AutoModelForTokenClassification`']
  ] as const)('the markdown says which head the script loads and keeps the task\'s own notes (%s)', (language, words) => {
    const intro = renderCells({ model: model('bert-base-chinese'), gpu: twoT4, method: 'lora', task: 'ner', language }).find(c => c.step === 'launch' && c.cell_type === 'markdown')!.source;
    expect(intro).toContain(words);
    expect(intro).toContain('`B-PER`');
  });
});
