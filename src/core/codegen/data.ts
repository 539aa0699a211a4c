/**
 * What a training run reads, filled once for the one-GPU train step and the launched several-GPU
 * script: both include the same head partials (python_snippets/_sft_data.py, _classify.py,
 * _seq2seq.py, _ner.py, _qa.py) — the user's file or hub dataset, else the built-in sample rows
 * or a public hub dataset, as the decisions chose (decisions.ts: dataset, format, sample) — and
 * say the same sentences about it.
 */
import { t } from '../i18n';
import type { PythonValue } from './literal';
import { markdownValue } from './formats';
import { Decisions, generativeQa } from './decisions';
import { qaStride, sampleExtractiveQa, sampleGenerativeQa, sampleNer, sampleSeq2seqQa } from './tasks';
import { HUB_CHAT_DATASET, HUB_CLASSIFICATION_DATASET, HUB_TEXT_DATASET, sampleClassification, sampleGeneration, sampleTranslation } from './samples';

/** The head partials' values and flags. */
export interface TrainingData {
  values: Record<string, PythonValue>;
  flags: { LOCAL_DATA: boolean; HUB_DATA: boolean; SAMPLE: boolean; DEFAULT_HUB: boolean };
}

/** The values and flags of the head partials for these decisions. */
export function trainingData(d: Decisions): TrainingData {
  const flags = { LOCAL_DATA: d.format !== null, HUB_DATA: d.dataset !== null && d.format === null, SAMPLE: d.sample, DEFAULT_HUB: d.dataset === null && !d.sample };
  const seqLen = d.plan.settings.seqLen;
  const values: Record<string, PythonValue> = { SEQ_LEN: seqLen };
  if (d.dataset !== null) values.DATASET = d.dataset;
  if (d.format !== null) values.DATA_FORMAT = d.format;
  if (d.head === 'token') {
    if (d.sample) values.SAMPLE_ROWS = sampleNer(d.dataLang);
  } else if (d.head === 'qa') {
    if (d.sample) values.SAMPLE_ROWS = sampleExtractiveQa(d.dataLang);
    values.STRIDE = qaStride(seqLen);
  } else if (d.head === 'causal') {
    const rows = d.task === 'qa' ? sampleGenerativeQa(d.dataLang) : sampleGeneration();
    if (d.sample) Object.assign(values, { SAMPLE_CHAT: rows.chat, SAMPLE_TEXT: rows.text });
    if (flags.DEFAULT_HUB) Object.assign(values, { HUB_CHAT: HUB_CHAT_DATASET, HUB_TEXT: HUB_TEXT_DATASET });
  } else if (d.head === 'seq2seq') {
    if (d.sample) values.SAMPLE_ROWS = d.task === 'qa' ? sampleSeq2seqQa(d.dataLang) : sampleTranslation(d.dataLang);
    if (flags.DEFAULT_HUB) throw new Error('translation always has sample rows');
  } else {
    if (d.sample) values.SAMPLE_ROWS = sampleClassification();
    if (flags.DEFAULT_HUB) values.HUB_DATASET = HUB_CLASSIFICATION_DATASET;
  }
  return { values, flags };
}

/** The markdown's paragraphs about the task and the data: what the head learns, and which rows it reads. */
export function dataNotes(d: Decisions): string[] {
  const seqLen = d.plan.settings.seqLen;
  const notes: string[] = [];
  if (d.head === 'token') notes.push(t(d.lang, 'cells.train.ner'));
  if (d.head === 'qa') notes.push(t(d.lang, 'cells.train.qa', { seq: seqLen, stride: qaStride(seqLen) }));
  if (generativeQa(d)) notes.push(t(d.lang, d.head === 'seq2seq' ? 'cells.train.qa.seq2seq' : 'cells.train.qa.generative'));
  if (d.dataset === null) {
    notes.push(
      d.sample
        ? t(d.lang, 'cells.train.sample')
        : t(d.lang, d.head === 'classification' ? 'cells.train.hub.classify' : 'cells.train.hub', { chat: markdownValue(HUB_CHAT_DATASET), text: markdownValue(HUB_TEXT_DATASET) })
    );
  }
  return notes;
}
