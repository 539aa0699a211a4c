/**
 * The guide's NER and question answering (issue 18 items 12, 13), as a learner asks for them:
 * `cells <model> --task ner|qa`, or the sidebar's task choice. tests/test_cells_run_tasks.py runs
 * the same cells on a tiny BERT; these read what they say.
 */
import { renderCells, CellRequest } from '..';
import { findModel } from '../../catalog';
import { findGpu } from '../../gpu';
import { modelForTask, NER_LABELS, qaStride, sampleExtractiveQa, sampleNer } from '../tasks';
import { KnownPlan, Plan, planTraining } from '../../memory';
import { countParameters } from '../../params';
import { recommendModels } from '../../recommend';

// transformers 5.24 on the meta device, bert-base-chinese's config.json with num_labels=7:
// sum(p.numel() for p in BertForTokenClassification(config).parameters()), and for BertForQuestionAnswering.

function known(plan: Plan): KnownPlan {
  if (!plan.known) throw new Error(plan.reason);
  return plan;
}
const BERT_BASE_CHINESE_TOKEN_CLASSIFICATION = 101_682_439;
const BERT_BASE_CHINESE_QA = 101_678_594;

const bert = findModel('bert-base-chinese')!;
const qwen = findModel('Qwen/Qwen2.5-7B-Instruct')!;

function cells(request: Partial<CellRequest> & Pick<CellRequest, 'model'>) {
  const out = renderCells({ gpu: findGpu('t4'), method: 'lora', ...request });
  const of = (kind: 'code' | 'markdown', step: string) => out.find(c => c.cell_type === kind && c.step === step)?.source ?? '';
  return { code: (step: string) => of('code', step), markdown: (step: string) => of('markdown', step) };
}

describe('--task ner: a token classifier with the MSRA tag set', () => {
  const ner = cells({ model: bert, task: 'ner', language: 'zh-Hans' });
  it('loads AutoModelForTokenClassification with the tags by name, and trains the head whole beside the adapters', () => {
    expect(ner.code('load')).toContain('from transformers import AutoTokenizer, AutoModelForTokenClassification');
    expect(ner.code('load')).toContain(`label_names = ${JSON.stringify([...NER_LABELS]).replace(/","/g, '", "')}`);
    expect(ner.code('load')).toContain('id2label=dict(enumerate(label_names))');
    expect(ner.code('load')).not.toContain('num_labels=2');
    expect(ner.code('lora')).toContain('task_type="TOKEN_CLS"');
    // "all-linear" would put an adapter on the classifier, which TOKEN_CLS's modules_to_save then refuses.
    expect(ner.code('lora')).toContain('exclude_modules=["classifier", "score"]');
  });
  it('aligns tags to the first piece of each word, pads with the token-classification collator, then scores', () => {
    const train = ner.code('train');
    expect(train).toContain('is_split_into_words=True');
    expect(train).toContain('labels.append(-100 if word is None or word == previous else tag_number(tags[word]))');
    expect(train).toContain('data_collator=DataCollatorForTokenClassification(tokenizer)');
    expect(train).toContain('from seqeval.metrics import classification_report, f1_score');
    expect(train).toContain('print(f"Token accuracy:');
    // The score comes after the measured peak, which prices training alone.
    expect(train.indexOf('Peak GPU memory')).toBeLessThan(train.indexOf('trainer.predict(eval_data)'));
    expect(ner.markdown('train')).toContain('命名实体识别');
  });
  it('without a dataset, trains on MSRA-style Chinese rows marked "replace with your data"', () => {
    const rows = sampleNer('zh') as Array<{ tokens: string[]; ner_tags: number[] }>;
    expect(rows[0].tokens.join('')).toBe('李明在北京大学读书。');
    expect(rows[0].ner_tags.slice(0, 7).map(i => NER_LABELS[i])).toEqual(['B-PER', 'I-PER', 'O', 'B-ORG', 'I-ORG', 'I-ORG', 'I-ORG']);
    expect(ner.code('train')).toContain('"tokens": ["李", "明", "在"');
    expect(ner.markdown('train')).toContain('请换成你自己的数据');
  });
  it('tries one Chinese sentence, a character per word, and prints its entities', () => {
    expect(ner.code('try')).toContain('text = "李明昨天从上海去北京参观了故宫博物院。"');
    expect(ner.code('try')).toContain('words = [c for c in text if not c.isspace()]');
    expect(ner.markdown('try')).toContain('打印找到的实体');
    const english = cells({ model: findModel('FacebookAI/xlm-roberta-base')!, task: 'ner', dataLanguage: 'en' });
    expect(english.code('try')).toContain('words = text.split()');
    expect(english.code('train')).toContain('"tokens": ["Alice", "Johnson", "works"');
  });
  it('with a dataset of the user’s, reads it, and a merged model keeps the tag names', () => {
    const own = cells({ model: bert, task: 'ner', dataset: 'msra.jsonl' });
    expect(own.code('train')).toContain('dataset_name = "msra.jsonl"');
    expect(own.code('train')).not.toContain('Dataset.from_list(');
    expect(own.code('save')).toContain('id2label=dict(enumerate(label_names))');
  });
});

describe('--task qa: extractive for an encoder, generative for a decoder', () => {
  it('an encoder gets AutoModelForQuestionAnswering, offsets mapped to start/end, long contexts in strided windows', () => {
    const qa = cells({ model: bert, task: 'qa', language: 'zh-Hant' });
    expect(qa.code('load')).toContain('AutoModelForQuestionAnswering.from_pretrained(');
    expect(qa.code('lora')).toContain('task_type="QUESTION_ANS"');
    expect(qa.code('lora')).toContain('exclude_modules=["qa_outputs"]');
    const train = qa.code('train');
    expect(train).toContain('return_offsets_mapping=True');
    expect(train).toContain('return_overflowing_tokens=True');
    expect(train).toContain(`stride=${qaStride(512)},`);
    expect(qaStride(512)).toBe(128);
    expect(qaStride(384)).toBe(128); // the Hugging Face example's doc_stride at its max_seq_length
    expect(qa.markdown('train')).toContain('擷取式問答');
    expect(qa.code('try')).toContain('print("Answer:", answer)');
    expect(qa.code('try')).toContain('context = "玉山是台灣最高的山');
  });
  it('its sample rows are CMRC-style: each answer_start points at the answer in its context', () => {
    for (const lang of ['zh', 'en'] as const) {
      for (const row of sampleExtractiveQa(lang) as Array<{ context: string; answers: { text: string[]; answer_start: number[] } }>) {
        const start = row.answers.answer_start[0];
        expect(row.context.slice(start, start + row.answers.text[0].length)).toBe(row.answers.text[0]);
      }
    }
  });
  it('a decoder answers generatively, says so and why, and trains on question → answer rows', () => {
    const qa = cells({ model: qwen, task: 'qa', dataLanguage: 'en' });
    expect(qa.code('load')).toContain('AutoModelForCausalLM');
    expect(qa.markdown('train')).toContain('**Generative question answering:** this model is a decoder');
    expect(qa.code('train')).toContain('Question: How long is the Great Wall of China?');
    expect(qa.code('train')).not.toContain('trl-lib/Capybara');
    expect(qa.code('try')).toContain('prompt = "Answer the question from the text below.\\nText: The Yangtze');
  });
  it('an encoder–decoder (mT5) writes the answer from source → target rows', () => {
    const qa = cells({ model: findModel('google/mt5-base')!, task: 'qa', dataLanguage: 'zh' });
    expect(qa.code('load')).toContain('AutoModelForSeq2SeqLM');
    expect(qa.markdown('train')).toContain('encoder–decoder');
    expect(qa.code('train')).toContain('"source": "根据下面的内容回答问题。');
  });
});

describe('the estimate prices the head the cells load (item 13: both heads)', () => {
  const t4 = findGpu('t4');
  const at = { seqLen: 512, batch: 8 };
  it('an encoder asked for NER or QA: the task head’s few logits, not the pretraining head’s vocabulary', () => {
    const mlm = known(planTraining(bert, t4, 'lora', at));
    const ner = known(planTraining(modelForTask(bert, 'ner'), t4, 'lora', at));
    const qa = known(planTraining(modelForTask(bert, 'qa'), t4, 'lora', at));
    // BertForMaskedLM: 8 × 512 × 21,128 logits, 12 bytes each through the fp32 cross-entropy.
    expect(mlm.breakdown.logits).toBe(Math.ceil((8 * 512 * 21128 * 12) / 2 ** 20));
    // 7 MSRA tags, or a start and an end score, per token.
    expect(ner.breakdown.logits).toBe(Math.ceil((8 * 512 * 7 * 12) / 2 ** 20));
    expect(qa.breakdown.logits).toBe(Math.ceil((8 * 512 * 2 * 12) / 2 ** 20));
    expect(ner.total_mib).toBeLessThan(mlm.total_mib - 900);
    // The weights are the classes the cells load (counted as transformers builds them).
    expect(countParameters(modelForTask(bert, 'ner').config).total).toBe(BERT_BASE_CHINESE_TOKEN_CLASSIFICATION);
    expect(countParameters(modelForTask(bert, 'qa').config).total).toBe(BERT_BASE_CHINESE_QA);
  });
  it('the card, the cells and fit say the same number for NER', () => {
    const card = recommendModels({ task: 'ner', language: 'zh', gpu: t4, method: 'lora', seqLen: 512 }).find(r => r.model.id === bert.id)!;
    const planned = known(planTraining(modelForTask(bert, 'ner'), t4, 'lora', { seqLen: 512 }));
    expect(card.plan.total_mib).toBe(planned.total_mib);
    const train = cells({ model: bert, task: 'ner', settings: { seqLen: 512 } }).code('train');
    expect(train).toContain(`estimate_mib = ${planned.total_mib - (planned.breakdown.cuda_context ?? 0)}`);
  });
  it('a decoder asked for QA keeps its language-model head: generative QA is priced as generation', () => {
    expect(modelForTask(qwen, 'qa')).toBe(qwen);
    const qa = known(planTraining(modelForTask(qwen, 'qa'), t4, 'qlora', { seqLen: 1024 }));
    const chat = known(planTraining(qwen, t4, 'qlora', { seqLen: 1024 }));
    expect(qa.total_mib).toBe(chat.total_mib);
    // The same breakdown: TRL's fused head (no logits beyond the activations); priced as a plain
    // Trainer's full logits, the 152k vocabulary would cost over 1,000 MiB.
    expect(qa.breakdown).toEqual(chat.breakdown);
    const standard = known(planTraining(modelForTask(qwen, 'qa'), t4, 'qlora', { seqLen: 1024, recipe: { loss: 'standard' } }));
    expect(standard.breakdown.logits).toBeGreaterThan(1000);
  });
});
