/**
 * The time estimate as a user meets it: a T4 and Qwen2.5-7B with QLoRA at the plan's settings,
 * the FLOPs of each recipe from the exact counts, several GPUs with the traffic they add, and
 * the promise that no estimate is faster than the card's datasheet allows.
 */
import { MODELS } from '../../catalog';
import { findGpu, GPU_PROFILES } from '../../gpu';
import { defaultSettings, modelShape, planTraining, recipeOf } from '../../memory';
import { countParameters } from '../../params';
import { METHODS, ModelEntry } from '../../types';
import { formatDuration, t } from '../../i18n';
import { epochSeconds, estimateSpeed, InferenceSpeed, peakFor, platformOf, runSeconds, SESSION_LIMITS, sessionWarnings, sessionWarningText, trainingFlopsPerToken, TrainingSpeed } from '../index';

const model = (id: string): ModelEntry => MODELS.find(m => m.id === id)!;
const QWEN7 = model('Qwen/Qwen2.5-7B-Instruct');

describe('a first run on a Colab T4', () => {
  const gpu = findGpu('t4');
  const { settings } = planTraining(QWEN7, gpu, 'qlora');
  const speed = estimateSpeed(QWEN7, gpu, settings) as TrainingSpeed;

  it('QLoRA of Qwen2.5-7B at the plan’s settings: a step of batch × accumulation × length tokens, minutes for 60 steps', () => {
    expect(speed.kind).toBe('training');
    expect(speed.tokens_per_step).toBe(settings.batch * settings.gradAccum * settings.seqLen);
    expect(speed.seconds_per_step * speed.tokens_per_second).toBeCloseTo(speed.tokens_per_step, 3);
    // 16 sequences of 1,024 tokens of a 7.6B model on a 65-TFLOPS card: tens of seconds a step.
    expect(speed.seconds_per_step).toBeGreaterThan(20);
    expect(speed.seconds_per_step).toBeLessThan(200);
    expect(runSeconds(speed, 60) / 60).toBeGreaterThan(20); // minutes
    expect(epochSeconds(speed, 10 * speed.tokens_per_step)).toBeCloseTo(10 * speed.seconds_per_step, 3);
    // One GPU: no link assumed, every second is the card's own.
    expect(speed.interconnect).toBeNull();
    expect(speed.step.communication).toBe(0);
    expect(speed.step.dequantize).toBeGreaterThan(0);
    expect(speed.peak_source).toMatch(/T4 datasheet/);
  });

  it('QLoRA is slower than LoRA at the same settings (the 4-bit weights are dequantized in every pass)', () => {
    const lora = estimateSpeed(QWEN7, findGpu('a100-80gb'), { ...settings, method: 'lora', dtype: 'bf16' }) as TrainingSpeed;
    const qlora = estimateSpeed(QWEN7, findGpu('a100-80gb'), settings) as TrainingSpeed;
    expect(qlora.seconds_per_step).toBeGreaterThan(lora.seconds_per_step);
  });
});

describe('FLOPs per token from the exact counts', () => {
  const count = countParameters(QWEN7.config);
  const shape = modelShape(QWEN7.config);
  const gpu = findGpu('a100-80gb');
  const base = (method: 'full' | 'lora', gradientCheckpointing: boolean) => defaultSettings(QWEN7, gpu, method, { seqLen: 1024, gradientCheckpointing });
  const head = count.lm_head;
  const layers = count.linear;

  it('full fine-tuning without checkpointing: 6 per weight of every matrix product, plus attention', () => {
    const f = trainingFlopsPerToken(count, shape, base('full', false), recipeOf({}));
    expect(f.layers).toBe(6 * layers);
    expect(f.head).toBe(6 * head);
    expect(f.adapters).toBe(0);
    // QKᵀ and softmax·V over half a causal 1,024-token window: 4 × 28 layers × 3,584 × 512.5, × (1 + 2.5).
    expect(f.attention).toBeCloseTo(4 * 28 * 3584 * 512.5 * 3.5, 0);
    // Kaplan's 6N, N without the embedding lookups: within 2 % once attention is left out.
    expect((f.layers + f.head) / (6 * (count.total - count.embedding))).toBeGreaterThan(0.98);
  });

  it('a frozen base skips the weight gradients (4 per weight); checkpointing adds a forward of the layers, not of the head', () => {
    const lora = trainingFlopsPerToken(count, shape, base('lora', false), recipeOf({}));
    const ckpt = trainingFlopsPerToken(count, shape, base('lora', true), recipeOf({}));
    expect(lora.layers).toBe(4 * layers);
    // Every layer's forward again: its last product too, with an adapter on it (tests/test_speed_flops.py referees this).
    expect(ckpt.layers).toBe(6 * layers);
    expect(ckpt.head).toBe(lora.head);
    expect(lora.head).toBe(4 * head);
    expect(lora.adapters).toBeGreaterThan(0);
    expect(lora.adapters).toBeLessThan(0.01 * lora.layers);
  });

  it('full fine-tuning with checkpointing recomputes all but each layer’s down projection (non-reentrant early stop)', () => {
    const ckpt = trainingFlopsPerToken(count, shape, base('full', true), recipeOf({}));
    expect(ckpt.layers).toBe(8 * layers - 2 * 18944 * 3584 * 28);
  });

  it('eager attention computes the whole square, flash only the causal half', () => {
    const s = base('lora', true);
    const eager = trainingFlopsPerToken(count, shape, s, recipeOf({ attention: 'eager' }));
    const flash = trainingFlopsPerToken(count, shape, s, recipeOf({ attention: 'flash' }));
    expect(eager.attention).toBeGreaterThan(1.5 * flash.attention);
  });
});

describe('several GPUs', () => {
  it('DDP on Kaggle’s two T4s: two processes over PCIe, nearly twice the tokens of one T4, never more', () => {
    const one = findGpu('t4');
    const two = findGpu('kaggle-2xt4');
    const s = defaultSettings(QWEN7, two, 'qlora', { batch: 1 });
    const single = estimateSpeed(QWEN7, one, s) as TrainingSpeed;
    const ddp = estimateSpeed(QWEN7, two, s, 'ddp') as TrainingSpeed;
    expect(ddp.processes).toBe(2);
    expect(ddp.interconnect?.kind).toBe('pcie3');
    expect(ddp.step.communication).toBeGreaterThan(0);
    expect(ddp.tokens_per_step).toBe(2 * single.tokens_per_step);
    expect(ddp.tokens_per_second).toBeLessThan(2 * single.tokens_per_second);
    expect(ddp.tokens_per_second).toBeGreaterThan(1.5 * single.tokens_per_second);
  });

  it('full fine-tuning: FSDP gathers the weights every micro-batch, so it moves more than DDP’s one all-reduce; device_map adds no tokens', () => {
    const gpus = findGpu('2xa100-80gb');
    const m = model('Qwen/Qwen2.5-1.5B-Instruct');
    const s = defaultSettings(m, gpus, 'full', { batch: 1 });
    const ddp = estimateSpeed(m, gpus, s, 'ddp') as TrainingSpeed;
    const fsdp = estimateSpeed(m, gpus, s, 'fsdp') as TrainingSpeed;
    const split = estimateSpeed(m, gpus, s, 'device-map') as TrainingSpeed;
    const single = estimateSpeed(m, findGpu('a100-80gb'), s) as TrainingSpeed;
    expect(fsdp.step.communication).toBeGreaterThan(ddp.step.communication);
    expect(ddp.interconnect?.kind).toBe('nvlink3');
    expect(split.processes).toBe(1);
    expect(split.tokens_per_second).toBeCloseTo(single.tokens_per_second, 6);
  });
});

describe('generation', () => {
  it('Qwen2.5-7B in bf16 on an A100: each token reads every weight, so decoding is below bandwidth ÷ weight bytes; prefill is far faster', () => {
    const gpu = findGpu('a100-80gb');
    const s = defaultSettings(QWEN7, gpu, 'inference', { seqLen: 2048, promptLen: 1024 });
    const speed = estimateSpeed(QWEN7, gpu, s) as InferenceSpeed;
    expect(speed.kind).toBe('inference');
    expect(speed.prompt_tokens).toBe(1024);
    expect(speed.generated_tokens).toBe(1024);
    expect(speed.decode_tokens_per_second).toBeLessThan(2039e9 / (countParameters(QWEN7.config).total * 2));
    expect(speed.prefill_tokens_per_second).toBeGreaterThan(50 * speed.decode_tokens_per_second);
  });
});

describe('no runtime we have no figures for gets a time', () => {
  it.each(['cpu', 'apple-silicon', '24GB'])('%s → null', spec => {
    const gpu = findGpu(spec);
    expect(peakFor(gpu)).toBeNull();
    expect(estimateSpeed(QWEN7, gpu, defaultSettings(QWEN7, gpu, 'lora'))).toBeNull();
  });
});

describe('never faster than the hardware allows', () => {
  it('every catalog model × card × method: below the 16-bit peak in training, below bandwidth ÷ weight bytes when decoding', () => {
    const problems: string[] = [];
    for (const gpu of GPU_PROFILES.filter(g => peakFor(g) !== null)) {
      const peak = peakFor(gpu)!;
      for (const m of MODELS) {
        for (const method of METHODS) {
          if (method === 'qlora' && !gpu.bnb_4bit) continue;
          const s = defaultSettings(m, gpu, method);
          const speed = estimateSpeed(m, gpu, s);
          if (speed === null) {
            problems.push(`${m.id} ${gpu.id} ${method}: null`);
            continue;
          }
          if (speed.kind === 'training') {
            if (!(speed.achieved_tflops > 0 && speed.achieved_tflops < peak.tflops16)) problems.push(`${m.id} ${gpu.id} ${method}: ${speed.achieved_tflops} TFLOPS of ${peak.tflops16}`);
          } else {
            const weights = countParameters(m.config).linear * 0.5;
            if (!(speed.decode_tokens_per_second < (peak.bandwidth_gbs * 1e9) / weights)) problems.push(`${m.id} ${gpu.id}: decodes ${speed.decode_tokens_per_second}/s`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('session limits', () => {
  it('a 60-step first run of Qwen2.5-7B on Colab’s T4 fits a session; 2,000 steps do not, and the warning names max_steps that fit', () => {
    const gpu = findGpu('t4');
    const { settings } = planTraining(QWEN7, gpu, 'qlora');
    const speed = estimateSpeed(QWEN7, gpu, settings) as TrainingSpeed;
    expect(platformOf(gpu)).toBe('colab');
    expect(sessionWarnings('colab', runSeconds(speed, 60), null, 60, speed.seconds_per_step)).toEqual([]);
    const [warning] = sessionWarnings('colab', runSeconds(speed, 2000), null, 2000, speed.seconds_per_step);
    expect(warning.code).toBe('session_run');
    expect(warning.text).toMatch(/longer than a Colab session \(about 12 h\).*resume_from_checkpoint=True/);
    expect(sessionWarningText('zh-Hant', warning)).toMatch(/超過一次 Colab 工作階段（約 12 小時）/);
    expect(Number(warning.values.fit) * speed.seconds_per_step).toBeLessThanOrEqual(12 * 3600);
  });

  it('Kaggle: an epoch past the weekly GPU quota says so; a laptop has no session limit', () => {
    const w = sessionWarnings('kaggle', 600, 40 * 3600, 10, 60);
    expect(w.map(x => x.code)).toEqual(['session_epoch', 'session_quota']);
    expect(platformOf(findGpu('kaggle-2xt4'))).toBe('kaggle');
    expect(platformOf(findGpu('rtx-4090'))).toBeNull();
    expect(platformOf(findGpu('rtx-4090'), 'colab')).toBe('colab');
    expect(sessionWarnings(null, 1e9, 1e9, 1, 1)).toEqual([]);
    expect(SESSION_LIMITS.kaggle.checked).toBe('2026-12-02');
  });

  it('writes durations a learner reads at a glance, in every language', () => {
    expect(formatDuration('en', 40)).toBe('40 s');
    expect(formatDuration('en', 25 * 60)).toBe('25 min');
    expect(formatDuration('en', 100 * 60)).toBe('1 h 40 min');
    expect(formatDuration('zh-Hans', 100 * 60)).toBe('1 小时 40 分钟');
    expect(formatDuration('zh-Hant', 25 * 60)).toBe('25 分鐘');
    expect(t('en', 'speed.card', { time: formatDuration('en', 25 * 60), steps: 60 })).toBe('about 25 min for the first 60 steps');
  });
});
