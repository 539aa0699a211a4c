/**
 * The library stacks that the guide's own remote-code models (ChatGLM3-6B, GLM-4-9B-chat, Baichuan2)
 * were written for, as their repositories state them, and what the cells do differently on them
 * (issue 18 item 10). Their code lives in their Hugging Face repositories and breaks on the current
 * stack the other cells pin (transformers 5, TRL 1.16):
 *
 * - ChatGLM3 / GLM-4 (`model_type` "chatglm", modeling_chatglm.py): no `lm_head`; the output layer is
 *   `transformer.output_layer`, applied to sequence-first hidden states, and the class does not
 *   override `get_output_embeddings`, so transformers returns None. TRL 1.16's SFTTrainer always adds
 *   its fused head (`trl/trainer/sft_trainer.py:1144` → `trl/trainer/utils.py:1548`), which reads
 *   `get_output_embeddings().weight` (`utils.py:1623`): the first step fails. Their tokenizers fail on
 *   transformers ≥ 4.45 (`_pad()` got an unexpected keyword argument `padding_side`,
 *   zai-org/ChatGLM3#1324 with transformers 4.45.0).
 * - Baichuan2 (`model_type` "baichuan", modeling_baichuan.py `NormHead`): in training the head
 *   multiplies by the L2-normalized weight; TRL's fused head multiplies by the raw weight, so the loss
 *   would be silently wrong. Its tokenizer fails on transformers ≥ 4.34 ("'BaichuanTokenizer' object
 *   has no attribute 'sp_model'", baichuan-inc/Baichuan2#204; hiyouga/LlamaFactory#1102: 4.34.0 fails,
 *   4.33.2 works).
 *
 * So these cells install the stack each repository states and train with transformers' `Trainer`,
 * whose loss is the model's own forward (each computes it from `labels`), with a causal-LM collator
 * written out in python_snippets/train_remote.py. The pins resolve together for Python 3.12
 * (Colab's) — bench/remote/resolved.json records the dry run, and a test holds these pins to it —
 * and every API the cells call was read in the pinned wheels (docs/remote-stacks.md, with lines).
 * The models' own code could not be run here (no hub): the cells say so.
 */
import type { ModelEntry } from '../types';
import { t, Language } from '../i18n';
import { renderSnippet } from './render';
import type { PythonValue } from './literal';
import type { RuntimeFacts } from './request';

export type RemoteStackId = 'chatglm3' | 'glm4' | 'baichuan2';

export interface RemoteStack {
  id: RemoteStackId;
  /** The family's message keys (cells.train.remote.<family>). */
  family: 'chatglm' | 'baichuan';
  /** How the markdown names the repository whose stack this is. */
  repository: string;
  /** The exact transformers release the cells install. */
  transformers: string;
  /** Every package the cells may install, by pip name → exact version. */
  pins: Readonly<Record<string, string>>;
  /** LoRA targets: every Linear of the blocks, by the names the model's code gives them (never the output layer). */
  loraTargets: readonly string[];
  /** Baichuan2's tokenizer needs its SentencePiece model loaded before its own __init__ runs (Baichuan2#204). */
  sentencepieceFirst: boolean;
  /** The native successor the cells of the current stack train, named in the markdown and the card. */
  successor: string;
}

// bitsandbytes is the current one (0.50.2, as the other cells): its wheels carry the CUDA builds a
// current Colab torch needs (the repositories' floors, 0.44.1 for GLM-4, predate CUDA 12.8 builds);
// transformers 4.36–4.46 build `bnb.nn.Params4bit(value, requires_grad=False, **old.__dict__)`
// (quantizers/quantizer_bnb_4bit.py:219 in 4.40.0, :238 in 4.46.2; integrations/bitsandbytes.py:98
// in 4.36.0) and `bnb.nn.Linear4bit(in, out, bias, compute_dtype, compress_statistics=, quant_type=)`
// (integrations/bitsandbytes.py:158 / :191 / :202), which 0.50.2 accepts (nn/modules.py:214-225 takes
// **kwargs; :537-544); the paged 8-bit AdamW takes `optim_bits`, `is_paged` (optim/adamw.py:10-22).
// datasets is 5.0.1, the newest that allows huggingface_hub < 1.0 (which these transformers require):
// it reads rows only, and the repositories name floors below it (2.18.0, 2.20.0).
// torch is not pinned: the runtime's own is kept (Colab's CUDA build), as none of these pins needs
// another (ChatGLM3 asks torch ≥ 2.3.0, GLM-4 ≥ 2.5.1; Baichuan2's torch==2.0.0 has no wheel for
// Python 3.12 — `pip download torch==2.0.0 --python-version 3.12` finds none).
const BITSANDBYTES = '0.50.2';
const DATASETS = '5.0.1';

export const REMOTE_STACKS: Readonly<Record<RemoteStackId, RemoteStack>> = {
  /**
   * THUDM/ChatGLM3 requirements.txt (d13f0ab, 2024-05-30, unchanged at 732294f): transformers==4.40.0,
   * accelerate>=0.29.2, sentencepiece>=0.2.0; finetune_demo/requirements.txt (d7128a9): peft>=0.10.0,
   * datasets>=2.18.0. Its LoRA config names no targets (finetune_demo/configs/lora.yaml), so peft's
   * default for "chatglm" applies: query_key_value (peft/utils/constants.py:67 in 0.10.0); these
   * cells adapt every Linear of the blocks, as for other models (SelfAttention.query_key_value and
   * .dense, MLP.dense_h_to_4h and .dense_4h_to_h: params/families/remote.ts). 4.40 predates the
   * `padding_side` argument that breaks its tokenizer (ChatGLM3#1324, 4.45.0).
   */
  chatglm3: {
    id: 'chatglm3',
    family: 'chatglm',
    repository: 'THUDM/ChatGLM3',
    transformers: '4.40.0',
    pins: { transformers: '4.40.0', accelerate: '0.29.2', peft: '0.10.0', sentencepiece: '0.2.0', datasets: DATASETS, bitsandbytes: BITSANDBYTES },
    loraTargets: ['query_key_value', 'dense', 'dense_h_to_4h', 'dense_4h_to_h'],
    sentencepieceFirst: false,
    successor: 'THUDM/GLM-4-9B-0414'
  },
  /**
   * THUDM/GLM-4 at 8047338 (2024-11-18, its last commit before GLM-4-0414 moved the repository to the
   * native `glm4` classes in 9c0e421): README.md's table gives GLM-4-9B-Chat "Transformers Version
   * >= 4.44.0", and says the hub's tokenization_chatglm.py was updated for newer transformers;
   * basic_demo/requirements.txt: transformers>=4.46.2, accelerate>=1.0.1, sentencepiece>=0.2.0,
   * tiktoken>=0.7.0 (its tokenizer is tiktoken's), bitsandbytes>=0.44.1; finetune_demo/requirements.txt:
   * peft==0.14.0, datasets==2.20.0; finetune_demo/configs/lora.yaml: target_modules ["query_key_value"].
   * The native successor, GLM-4-9B-0414 (model_type "glm4"), needs transformers >= 4.51.3 (GLM-4 HEAD
   * inference/requirements.txt) and trains with the current cells.
   */
  glm4: {
    id: 'glm4',
    family: 'chatglm',
    repository: 'THUDM/GLM-4',
    transformers: '4.46.2',
    pins: { transformers: '4.46.2', accelerate: '1.0.1', peft: '0.14.0', sentencepiece: '0.2.0', tiktoken: '0.7.0', datasets: DATASETS, bitsandbytes: BITSANDBYTES },
    loraTargets: ['query_key_value', 'dense', 'dense_h_to_4h', 'dense_4h_to_h'],
    sentencepieceFirst: false,
    successor: 'THUDM/GLM-4-9B-0414'
  },
  /**
   * baichuan-inc/Baichuan2 README.md (ed1cf0f), its only stated versions for fine-tuning: "Baichuan 2
   * (7B) 已原生支持基于昇腾 NPU 的 PyTorch（2.1.0）+ Transformers（4.36.0）+ DeepSpeed（0.12.4）+
   * Accelerate（0.25.0）模型微调"; fine-tune/requirements.txt pins only torch==2.0.0 (the model card:
   * PyTorch 2.0 for F.scaled_dot_product_attention). transformers 4.33.x, before the tokenizer broke,
   * cannot be installed on Python 3.12 from wheels (it needs tokenizers < 0.14, which has none for
   * 3.12: the dry run finds only 0.14.0 and later), so 4.36.0 it is, and the load cell loads the
   * tokenizer's SentencePiece model before the tokenizer's own __init__ (the fix of Baichuan2#204,
   * without editing its file). peft is unversioned there ("需额外安装 peft"): 0.7.1, built the day after
   * transformers 4.36.0 (the wheels' file dates, 2023-12-12 and 2023-12-11), its API read in the wheel. sentencepiece 0.2.0 is the first with
   * Python 3.12 wheels. LoRA: fine-tune/fine-tune.py targets ["W_pack"]; these cells every Linear of
   * the blocks (W_pack, o_proj, gate_proj, up_proj, down_proj: params/families/remote.ts).
   */
  baichuan2: {
    id: 'baichuan2',
    family: 'baichuan',
    repository: 'baichuan-inc/Baichuan2',
    transformers: '4.36.0',
    pins: { transformers: '4.36.0', accelerate: '0.25.0', peft: '0.7.1', sentencepiece: '0.2.0', datasets: DATASETS, bitsandbytes: BITSANDBYTES },
    loraTargets: ['W_pack', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
    sentencepieceFirst: true,
    successor: 'Qwen/Qwen2.5-7B-Instruct'
  }
};

/** ChatGLM2/3's SentencePiece vocabulary and GLM-4's tiktoken one (config `padded_vocab_size`). */
const CHATGLM3_VOCAB = 65024;
const GLM4_VOCAB = 151552;
/** Baichuan 2's vocabulary (Baichuan 1 has 64,000 and another head). */
const BAICHUAN2_VOCAB = 125696;

/**
 * The stack a remote-code model's cells install, or null: the model is not one of these, or a
 * relative whose code we have not read (ChatGLM-6B and ChatGLM2, Baichuan 1, GLM-4V with its vision
 * tower), which keeps the plain refusal of codegen/remote.ts.
 */
export function remoteStackFor(model: Pick<ModelEntry, 'id' | 'trust_remote_code' | 'config'>): RemoteStack | null {
  if (!model.trust_remote_code) return null;
  const c = model.config;
  const type = String(c.model_type ?? '');
  if (type === 'chatglm') {
    if (c.vision_config !== undefined || /chatglm2|chatglm-6b|glm-4v/i.test(model.id)) return null;
    if (c.padded_vocab_size === CHATGLM3_VOCAB) return REMOTE_STACKS.chatglm3;
    if (c.padded_vocab_size === GLM4_VOCAB) return REMOTE_STACKS.glm4;
    return null;
  }
  if (type === 'baichuan' && c.vocab_size === BAICHUAN2_VOCAB) return REMOTE_STACKS.baichuan2;
  return null;
}

/** What the cells need beyond the model's own stack. */
export interface StackNeeds {
  adapter: boolean;
  training: boolean;
  bitsandbytes: boolean;
}

/**
 * The pip requirements the install cell writes: each pinned exactly; a package a probe report shows
 * at its pinned version is left out. ModelScope, when the weights come from there, as the other
 * cells ask for it (`current`: their requirements for this request).
 */
export function stackPackages(stack: RemoteStack, needs: StackNeeds, report: RuntimeFacts | undefined, current: readonly string[]): string[] {
  const installed = report?.packages ?? null;
  const names = ['transformers', 'accelerate'];
  if (stack.pins.sentencepiece !== undefined) names.push('sentencepiece');
  if (stack.pins.tiktoken !== undefined) names.push('tiktoken');
  if (needs.adapter) names.push('peft');
  if (needs.training) names.push('datasets');
  if (needs.bitsandbytes) names.push('bitsandbytes');
  const pinned = names.filter(n => installed === null || installed[n] !== stack.pins[n]).map(n => `${n}==${stack.pins[n]}`);
  return [...pinned, ...current.filter(p => p.startsWith('modelscope'))];
}

/** The load cell on the model's own stack (python_snippets/load_remote.py). */
export function remoteLoad(
  stack: RemoteStack,
  o: { dtype: PythonValue; quantize: boolean; gpu: boolean; modelPath: string | null; warnings: string[] },
  lang: Language
): string {
  const values: { DTYPE: PythonValue; MODEL_PATH?: string; WARNINGS?: string[] } = { DTYPE: o.dtype };
  if (o.modelPath !== null) values.MODEL_PATH = o.modelPath;
  if (o.warnings.length) values.WARNINGS = o.warnings;
  const flags = { QUANTIZE: o.quantize, GPU: o.gpu, DEFINE_PATH: o.modelPath !== null, WARNINGS: o.warnings.length > 0, SENTENCEPIECE_FIRST: stack.sentencepieceFirst };
  return renderSnippet('load_remote', values, flags, lang);
}

/** The LoRA cell on the model's own stack (python_snippets/lora_remote.py): its own module names. */
export function remoteLora(stack: RemoteStack, o: { r: number; alpha: number; quantize: boolean; checkpointing: boolean }, lang: Language): string {
  return renderSnippet('lora_remote', { LORA_R: o.r, LORA_ALPHA: o.alpha, TARGET_MODULES: [...stack.loraTargets] }, { QUANTIZE: o.quantize, CHECKPOINTING: o.checkpointing }, lang);
}

/** What the install, load and train markdown add for a model on its own stack. */
export function remoteMarkdown(step: 'install' | 'load' | 'train', stack: RemoteStack, lang: Language): string {
  const packages = Object.entries(stack.pins).map(([name, version]) => `${name} ${version}`).join(', ');
  const values = { repository: stack.repository, transformers: stack.transformers, packages, successor: stack.successor };
  if (step === 'install') return t(lang, 'cells.install.remote', values);
  if (step === 'load') return t(lang, stack.sentencepieceFirst ? 'cells.load.remote.sentencepiece' : 'cells.load.remote', values);
  return t(lang, `cells.train.remote.${stack.family}`, values);
}
