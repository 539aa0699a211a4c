/**
 * "Check your data" (issue 20 item 4): an optional cell before training that tokenizes the
 * user's rows as the Train cell will (python_snippets/check_data.py, which includes the Train
 * cell's own data loading and tokenize functions), prints the length percentiles, a histogram,
 * what `max_length` cuts, the length that covers 95 % and one epoch's steps and time, and leaves a
 * small record under the output folder that the sidebar offers back (`parseDataCheck`).
 *
 * Off by default: without a dataset of the user's the cells train on a few sample rows or a public
 * hub dataset, whose lengths tell nothing about the user's data, and a first run stays short.
 *
 * The SFT rows are measured the way TRL 1.16's SFTTrainer prepares them
 * (trl/trainer/sft_trainer.py:1274-1296: from/value conversations become "messages"; plain text
 * and a completion get eos_token appended; :1314-1390: a conversation, or a prompt with its
 * completion, goes through `apply_chat_template(..., tokenize=True, return_dict=True)` with the
 * row's `tools` and `chat_template_kwargs`; text through `tokenizer(text=...)`); tests/
 * test_cells_run_tasks.py checks the lengths against the trainer's own dataset.
 */
import { Language, MessageKey, t } from '../i18n';
import { launches, Plan } from '../memory';
import { platformOf, SESSION_LIMITS } from '../speed';
import { markdownValue } from './formats';
import type { PythonValue } from './literal';
import type { Head } from './plan';
import { renderSnippet } from './render';
import { CellRequest, CellRequestError } from './request';
import { trainingData } from './data';
import type { Decisions } from './decisions';
import { trainingSpeed } from './time';

/** The record's file name, in the cells' output folder (the save step's folder). */
export const DATA_CHECK_FILE = 'data_check.json';
/** Rows measured at most: a larger dataset is measured on a random sample (said in the output). */
export const DATA_CHECK_SAMPLE = 2000;

/** What the data check reads: the cells' decisions (decisions.ts). */
type DataCheckContext = Decisions;

/** The columns each head's Train cell reads: any one of these forms (the first that matches is checked for empty rows). */
const COLUMNS: Record<Head, string[][]> = {
  // TRL's order: a prompt with its completion, a conversation, then plain text (sft_trainer.py:1323, 1371).
  causal: [['prompt', 'completion'], ['messages'], ['conversations'], ['text']],
  classification: [['text', 'label']],
  seq2seq: [['source', 'target']],
  token: [['tokens', 'ner_tags']],
  qa: [['question', 'context', 'answers']]
};

/**
 * The Train cell reads the suggested length only where it cuts samples at one max_length: not
 * for extractive QA (a long context is split into windows whose overlap follows the length, and
 * nothing is lost) and not for a launched run (the script on the other processes is written out
 * with its length; the sidebar's offer re-plans it).
 */
function optIn(head: Head, plan: Plan): boolean {
  return head !== 'qa' && !launches(plan);
}

/** The Train cell's holes for the opt-in: its DATA_CHECK block and the line it prints. */
export function suggestedLengthHoles(steps: readonly string[], head: Head, lang: Language): { flags: { DATA_CHECK?: boolean }; values: { SUGGESTED_NOTE?: string } } {
  if (head === 'qa') return { flags: {}, values: {} }; // train_qa.py has no max_length line (see optIn)
  const on = steps.includes('check');
  return { flags: { DATA_CHECK: on }, values: on ? { SUGGESTED_NOTE: t(lang, 'train.suggested', { length: '{length}' }) } : {} };
}

/** The record's path as the cell writes it (relative to the kernel's working folder, the notebook's). */
export function dataCheckPath(saveDir: string): string {
  return `${saveDir.replace(/\/+$/, '')}/${DATA_CHECK_FILE}`;
}

/** Every sentence the cell prints, in the user's language; `{name}` slots are Python's str.format fields. */
function messages(request: CellRequest, c: DataCheckContext, processes: number, tokensPerSecond: number | null, sessionText: string | null): Record<string, string> {
  const tr = (key: string, values: Record<string, string | number> = {}) => t(c.lang, `check.${key}` as MessageKey, values);
  const slots = (...names: string[]) => Object.fromEntries(names.map(n => [n, `{${n}}`]));
  const s = c.plan.settings;
  const batch = processes > 1 ? tr('batch.gpus', { batch: s.batch, accum: s.gradAccum, gpus: processes }) : tr('batch', { batch: s.batch, accum: s.gradAccum });
  const out: Record<string, string> = {
    load: tr('load', slots('name', 'error')),
    columns: tr('columns', slots('needed', 'found')),
    no_rows: tr('no_rows'),
    empty: tr('empty', slots('count', 'total', 'row')),
    failed: tr('failed', slots('count', 'row', 'error')),
    sampled: tr('sampled', { ...slots('count', 'total'), model: request.model.id }),
    measured: tr('measured', { ...slots('count'), model: request.model.id }),
    lengths: tr('lengths', slots('p50', 'p90', 'p95', 'p99', 'max')),
    cut: tr(c.head === 'qa' ? 'windows' : 'cut', slots('length', 'count', 'total', 'share')),
    epoch_steps: tr('epoch.steps', { ...slots('rows', 'steps'), batch }),
    epoch: tr('epoch', { ...slots('rows', 'steps', 'time'), batch, tokens: Math.round(tokensPerSecond ?? 0).toLocaleString('en-US') }),
    suggest: tr('suggest', slots('length')),
    longer: tr('longer', slots('planned')),
    problem: tr('problem', slots('problem')),
    unchanged: tr('unchanged'),
    // One epoch's time in the interface's words (i18n formatDuration's units).
    time_s: t(c.lang, 'time.s', slots('n')),
    time_min: t(c.lang, 'time.min', slots('n')),
    time_h: t(c.lang, 'time.h', slots('h')),
    time_hmin: t(c.lang, 'time.hmin', slots('h', 'm'))
  };
  if (c.head === 'causal') out.no_template = tr('no_template');
  if (c.head === 'classification') out.labels = tr('labels', { ...slots('count', 'row'), last: (request.numLabels ?? 2) - 1 });
  if (c.head === 'token') out.tags = tr('tags', slots('count', 'row'));
  if (optIn(c.head, c.plan)) {
    out.opt_in = tr('opt_in', slots('length'));
    out.opted_in = tr('opted_in', slots('length', 'planned'));
  } else {
    out.offer = tr(c.head === 'qa' ? 'offer.qa' : 'offer');
  }
  if (sessionText !== null) out.session = sessionText;
  return out;
}

/** The data check's code cell. */
export function dataCheckCode(request: CellRequest, c: DataCheckContext): string {
  if (!c.training) throw new CellRequestError('the check step measures data to train on: use --method lora, qlora or full');
  // The Train cell's own data holes (data.ts); the windows' stride is the QA trainer's alone.
  const data = trainingData(c);
  delete data.values.STRIDE;
  const speed = trainingSpeed(request, c.plan, c.simulate);
  const processes = c.plan.known ? c.plan.spread.processes : 1;
  // One epoch that outlasts this runtime's session (Colab, Kaggle): the warning of speed/sessions.ts.
  const platform = speed === null ? null : platformOf(request.gpu);
  let session: { seconds: number; text: string } | null = null;
  if (platform !== null && speed !== null) {
    const limit = SESSION_LIMITS[platform];
    const fit = Math.max(1, Math.floor((0.9 * limit.session_seconds) / speed.seconds_per_step));
    const text = t(c.lang, 'speed.session_epoch', { time: '{time}', platform: platform === 'colab' ? 'Colab' : 'Kaggle', hours: limit.session_seconds / 3600, fit: fit.toLocaleString('en-US') });
    session = { seconds: limit.session_seconds, text };
  }
  const values: Record<string, PythonValue> = {
    ...data.values,
    SEQ_LEN: c.plan.settings.seqLen,
    MESSAGES: messages(request, c, processes, speed?.tokens_per_second ?? null, session?.text ?? null),
    COLUMNS: COLUMNS[c.head],
    BATCH: c.plan.settings.batch,
    GRAD_ACCUM: c.plan.settings.gradAccum,
    PROCESSES: processes,
    TOKENS_PER_SECOND: speed === null ? null : Math.round(speed.tokens_per_second),
    OUTPUT_DIR: c.saveDir,
    MODEL_ID: request.model.id
  };
  if (c.checkDefinesPath) values.MODEL_PATH = c.modelPath;
  if (c.head === 'classification') values.NUM_LABELS = request.numLabels ?? 2;
  if (session !== null) values.SESSION_SECONDS = session.seconds;
  // The tokenizer as the load cell sets it up (python_snippets/_tokenizer.py): [SEP] as eos for a BERT tokenizer.
  if (c.head === 'causal') values.EOS_NOTE = t(c.lang, 'load.eos_sep', { token: '{token}' });
  const flags = {
    ...data.flags,
    SFT: c.head === 'causal',
    TEXT: c.head === 'classification',
    PAIRS: c.head === 'seq2seq',
    WORDS: c.head === 'token',
    QA: c.head === 'qa',
    PLAIN_ROWS: c.head === 'seq2seq' || c.head === 'token' || c.head === 'qa',
    OPT_IN: optIn(c.head, c.plan),
    DEFINE_PATH: c.checkDefinesPath,
    REMOTE_CODE: request.model.trust_remote_code,
    EOS_FROM_SEP: c.head === 'causal',
    SESSION: session !== null
  };
  return renderSnippet('check_data', values, flags, c.lang);
}

/** The data check's markdown. */
export function dataCheckMarkdown(request: CellRequest, c: DataCheckContext): string {
  const s = c.plan.settings;
  let text = t(c.lang, 'cells.check', {
    seq: s.seqLen.toLocaleString('en-US'),
    sample: DATA_CHECK_SAMPLE.toLocaleString('en-US'),
    path: markdownValue(dataCheckPath(c.saveDir))
  });
  text += '\n\n' + t(c.lang, optIn(c.head, c.plan) ? 'cells.check.opt_in' : c.head === 'qa' ? 'cells.check.qa' : 'cells.check.launch');
  if (c.checkDefinesPath) text += '\n\n' + t(c.lang, 'cells.load.path', { path: markdownValue(c.modelPath) });
  return text;
}

/** A data check record as the sidebar reads it back: the figures, never text from the user's data. */
export interface DataCheckRecord {
  model: string;
  max_length: number;
  rows: number | null;
  measured: number;
  percentiles: { p50: number; p90: number; p95: number; p99: number; p100: number } | null;
  cut: number;
  suggested_length: number | null;
  problems: number;
}

/** What reading the record gave: a record for this model, or why there is none to offer (said in a line, or nothing). */
export type DataCheckRead = { ok: true; record: DataCheckRecord } | { ok: false; reason: 'missing' | 'corrupt' | 'other-model' | 'unreadable'; message?: string };

const whole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * Check a record the kernel read back (JSON text, or null for no file) against the model planned
 * for. Never throws: a corrupt record or one from another model is a reason, not an offer.
 */
export function parseDataCheck(text: string | null, modelId: string): DataCheckRead {
  if (text === null) return { ok: false, reason: 'missing' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'corrupt' };
  }
  const r = raw as Record<string, unknown> | null;
  if (typeof r !== 'object' || r === null || r.kind !== 'model-advisor data check' || r.version !== 1) return { ok: false, reason: 'corrupt' };
  if (typeof r.model !== 'string') return { ok: false, reason: 'corrupt' };
  if (r.model !== modelId) return { ok: false, reason: 'other-model', message: r.model };
  const p = r.percentiles as Record<string, unknown> | null;
  const percentiles = p === null ? null : typeof p === 'object' && ['p50', 'p90', 'p95', 'p99', 'p100'].every(k => whole(p[k])) ? (p as DataCheckRecord['percentiles']) : undefined;
  const suggested = r.suggested_length;
  if (!whole(r.max_length) || !(r.rows === null || whole(r.rows)) || !whole(r.measured) || percentiles === undefined || !whole(r.cut) || !(suggested === null || (whole(suggested) && suggested > 0)) || !whole(r.problems)) {
    return { ok: false, reason: 'corrupt' };
  }
  return {
    ok: true,
    record: { model: r.model, max_length: r.max_length, rows: r.rows as number | null, measured: r.measured, percentiles, cut: r.cut, suggested_length: suggested as number | null, problems: r.problems }
  };
}
