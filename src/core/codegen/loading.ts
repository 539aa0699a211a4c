/**
 * How the model is loaded for its head — the Auto class, a new head's labels, remote code, the
 * attention, a BERT tokenizer's [SEP] as eos, which modules 4-bit leaves whole — filled once for
 * the load and quantize steps and the launched several-GPU script, which include the same
 * partials (python_snippets/_load.py, _quantize.py). Where the model goes (one GPU, every GPU,
 * this process's GPU) and in which dtype is each caller's.
 */
import { t } from '../i18n';
import { pythonCode, PythonValue } from './literal';
import { loadClass, TorchDtype } from './plan';
import type { CellRequest } from './request';
import type { Decisions } from './decisions';
import { NER_LABELS } from './tasks';

export interface Holes {
  values: Record<string, PythonValue>;
  flags: Record<string, boolean>;
}

/** The load partial's holes that follow from the model and its head. */
export function loadHoles(request: CellRequest, d: Decisions): Holes {
  const flags = {
    QUANTIZE: d.bits !== null,
    NUM_LABELS: d.head === 'classification',
    LABEL_NAMES: d.head === 'token',
    CLASSIFIER: d.classifier,
    REMOTE_CODE: request.model.trust_remote_code,
    ATTENTION: d.attention.impl !== null,
    // A tokenizer without an eos (GPT2-chinese's BERT one): TRL appends eos_token to each text
    // (trl/trainer/sft_trainer.py:1292-1297, str.endswith(None) raises), so [SEP] serves.
    EOS_FROM_SEP: d.head === 'causal'
  };
  const values: Record<string, PythonValue> = { AUTO_CLASS: pythonCode(loadClass(request.model, d.head)) };
  if (flags.EOS_FROM_SEP) values.EOS_NOTE = t(d.lang, 'load.eos_sep', { token: '{token}' });
  if (d.attention.impl !== null) values.ATTENTION = d.attention.impl;
  if (d.head === 'classification') values.NUM_LABELS = request.numLabels ?? 2;
  if (d.head === 'token') values.LABEL_NAMES = [...NER_LABELS];
  return { values, flags };
}

/**
 * The quantize partial's holes, with the 4-bit compute dtype. transformers keeps only the output
 * embeddings and the last parameter's module out of bitsandbytes (get_keys_to_not_convert); a task
 * head ("classifier.bias" is the last parameter, which names no module) would be quantized and
 * peft could not train it.
 */
export function quantizeHoles(d: Decisions, bits: 4 | 8, compute: TorchDtype): Holes {
  const flags = { FOUR_BIT: bits === 4, NEW_HEAD: d.head === 'classification' || d.head === 'token' || d.head === 'qa' };
  const values: Record<string, PythonValue> = {};
  if (bits === 4) values.COMPUTE_DTYPE = pythonCode(`torch.${compute}`);
  if (flags.NEW_HEAD) values.SKIP_MODULES = ['classifier', 'score', 'pooler.dense', 'qa_outputs'];
  return { values, flags };
}
