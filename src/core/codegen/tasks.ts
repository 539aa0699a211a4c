/**
 * The guide's two tasks beyond generation and classification (選擇合適的模型: 命名實體識別,
 * 問答), as data: the sample rows a notebook trains on when the user names no dataset, the
 * "try it" inputs, and the tag set a token-classification head is built with.
 *
 * - Named-entity recognition (`--task ner`, the `token` head): rows in the Hugging Face form,
 *   `tokens` (a list of words; a Chinese row has one character per word, as MSRA NER does) and
 *   `ner_tags` (one number per word, an index into the tag names).
 * - Question answering (`--task qa`): an encoder gets the extractive head (SQuAD / CMRC 2018 rows:
 *   `question`, `context`, `answers` = {text, answer_start}); a decoder or an encoder–decoder has no
 *   such head and answers generatively, trained on the same questions written as prompt → answer.
 */
import type { ModelEntry, Task } from '../types';
import type { PythonValue } from './literal';
import type { DataLanguage } from './samples';

/**
 * The MSRA NER tag set, in the order the Hugging Face `msra_ner` dataset numbers its `ner_tags`
 * (O, B-PER, I-PER, B-ORG, I-ORG, B-LOC, I-LOC): B- opens an entity, I- continues it.
 */
export const NER_LABELS = ['O', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG', 'B-LOC', 'I-LOC'] as const;
type Kind = 'PER' | 'ORG' | 'LOC';

/** A sentence with its entities, written once; the tags are derived (no hand-counted offsets). */
type Tagged = [string, Array<[string, Kind]>];

const ZH_NER: Tagged[] = [
  ['李明在北京大学读书。', [['李明', 'PER'], ['北京大学', 'ORG']]],
  ['王芳下个月去上海出差。', [['王芳', 'PER'], ['上海', 'LOC']]],
  ['华为公司的总部在深圳。', [['华为公司', 'ORG'], ['深圳', 'LOC']]],
  ['张伟和刘洋在杭州见面。', [['张伟', 'PER'], ['刘洋', 'PER'], ['杭州', 'LOC']]],
  ['中国科学院发布了新的报告。', [['中国科学院', 'ORG']]],
  ['陈静从广州坐高铁到武汉。', [['陈静', 'PER'], ['广州', 'LOC'], ['武汉', 'LOC']]],
  ['今天的天气很好。', []],
  ['赵强加入了阿里巴巴。', [['赵强', 'PER'], ['阿里巴巴', 'ORG']]]
];

const EN_NER: Tagged[] = [
  ['Alice Johnson works for Google in London .', [['Alice Johnson', 'PER'], ['Google', 'ORG'], ['London', 'LOC']]],
  ['The United Nations met in Geneva on Monday .', [['United Nations', 'ORG'], ['Geneva', 'LOC']]],
  ['Maria Garcia moved from Madrid to Berlin .', [['Maria Garcia', 'PER'], ['Madrid', 'LOC'], ['Berlin', 'LOC']]],
  ['Siemens opened a new factory near Munich .', [['Siemens', 'ORG'], ['Munich', 'LOC']]],
  ['The weather was fine all week .', []],
  ['John Smith joined the BBC last year .', [['John Smith', 'PER'], ['BBC', 'ORG']]],
  ['Tokyo and Paris hosted the Olympic Games .', [['Tokyo', 'LOC'], ['Paris', 'LOC']]],
  ['Priya Patel studies at Oxford University .', [['Priya Patel', 'PER'], ['Oxford University', 'ORG']]]
];

/** One row: the words (characters for Chinese) and their tag numbers, entities found by search. */
function nerRow([sentence, entities]: Tagged, lang: DataLanguage): { tokens: string[]; ner_tags: number[] } {
  const tokens = lang === 'zh' ? [...sentence] : sentence.split(' ');
  const tags: string[] = tokens.map(() => 'O');
  for (const [entity, kind] of entities) {
    const words = lang === 'zh' ? [...entity] : entity.split(' ');
    const at = tokens.findIndex((_, i) => words.every((w, j) => tokens[i + j] === w));
    if (at < 0) throw new Error(`sample entity ${entity} is not in ${sentence}`);
    words.forEach((_, j) => (tags[at + j] = (j === 0 ? 'B-' : 'I-') + kind));
  }
  return { tokens, ner_tags: tags.map(tag => NER_LABELS.indexOf(tag as (typeof NER_LABELS)[number])) };
}

/** NER sample rows: MSRA-style Chinese, or English sentences with the same tag set. */
export function sampleNer(lang: DataLanguage): PythonValue {
  return (lang === 'zh' ? ZH_NER : EN_NER).map(row => nerRow(row, lang));
}

/** A context, a question about it, and the answer as it stands in the context. */
type Qa = [string, string, string];

const ZH_QA: Qa[] = [
  ['长城是中国古代的军事防御工程，总长度超过两万公里。', '长城的总长度是多少？', '超过两万公里'],
  ['黄河是中国第二长的河流，发源于青海省。', '黄河发源于哪里？', '青海省'],
  ['熊猫主要生活在四川的山区，以竹子为主要食物。', '熊猫主要吃什么？', '竹子'],
  ['北京是中国的首都，也是全国的政治中心。', '中国的首都是哪里？', '北京'],
  ['李白是唐代著名的诗人，被称为“诗仙”。', '李白被称为什么？', '“诗仙”'],
  ['微调是在预训练模型上用少量数据继续训练，让模型适应新任务。', '微调用什么数据继续训练？', '少量数据'],
  ['LoRA 只训练加在权重旁边的小矩阵，所以需要的显存很少。', 'LoRA 训练什么？', '加在权重旁边的小矩阵'],
  ['西湖位于浙江省杭州市，是著名的风景区。', '西湖位于哪个城市？', '杭州市']
];

const EN_QA: Qa[] = [
  ['The Great Wall of China is more than 20,000 kilometres long.', 'How long is the Great Wall of China?', 'more than 20,000 kilometres'],
  ['Marie Curie won the Nobel Prize in Physics in 1903 and in Chemistry in 1911.', 'When did Marie Curie win the prize in Chemistry?', '1911'],
  ['The Amazon river flows through Peru, Colombia and Brazil into the Atlantic Ocean.', 'Into which ocean does the Amazon flow?', 'the Atlantic Ocean'],
  ['Pandas live in the mountains of Sichuan and eat mostly bamboo.', 'What do pandas eat?', 'mostly bamboo'],
  ['Fine-tuning continues training a pretrained model on a small dataset of your own.', 'What does fine-tuning train on?', 'a small dataset of your own'],
  ['LoRA trains small matrices added beside the frozen weights, so it needs little memory.', 'What does LoRA train?', 'small matrices added beside the frozen weights'],
  ['Mount Everest, at 8,849 metres, is the highest mountain above sea level.', 'How high is Mount Everest?', '8,849 metres'],
  ['Python was created by Guido van Rossum and first released in 1991.', 'Who created Python?', 'Guido van Rossum']
];

function qaPairs(lang: DataLanguage): Qa[] {
  return lang === 'zh' ? ZH_QA : EN_QA;
}

/** Extractive QA rows in the SQuAD / CMRC 2018 form; answer_start found in the context. */
export function sampleExtractiveQa(lang: DataLanguage): PythonValue {
  return qaPairs(lang).map(([context, question, answer]) => {
    const start = context.indexOf(answer);
    if (start < 0) throw new Error(`sample answer ${answer} is not in ${context}`);
    return { question, context, answers: { text: [answer], answer_start: [start] } };
  });
}

export type PromptLanguage = 'en' | 'zh-Hans' | 'zh-Hant';

/** The prompt a generative model answers: the context, then the question (the sample rows' and "try it"'s form). */
export function qaPrompt(lang: PromptLanguage, context: string, question: string): string {
  if (lang === 'zh-Hans') return `根据下面的内容回答问题。\n内容：${context}\n问题：${question}`;
  if (lang === 'zh-Hant') return `根據下面的內容回答問題。\n內容：${context}\n問題：${question}`;
  return `Answer the question from the text below.\nText: ${context}\nQuestion: ${question}`;
}

const rowsLanguage = (lang: DataLanguage): PromptLanguage => (lang === 'zh' ? 'zh-Hans' : 'en');

/** Generative QA rows for a causal LM: chat rows and plain-text rows (the cell picks by the tokenizer). */
export function sampleGenerativeQa(lang: DataLanguage): { chat: PythonValue; text: PythonValue } {
  const pairs = qaPairs(lang);
  const answerLabel = lang === 'zh' ? '答案：' : 'Answer: ';
  return {
    chat: pairs.map(([c, q, a]) => ({ messages: [{ role: 'user', content: qaPrompt(rowsLanguage(lang), c, q) }, { role: 'assistant', content: a }] })),
    text: pairs.map(([c, q, a]) => ({ text: `${qaPrompt(rowsLanguage(lang), c, q)}\n${answerLabel}${a}` }))
  };
}

/** Generative QA rows for an encoder–decoder (T5, mT5): the prompt is the source, the answer the target. */
export function sampleSeq2seqQa(lang: DataLanguage): PythonValue {
  return qaPairs(lang).map(([c, q, a]) => ({ source: qaPrompt(rowsLanguage(lang), c, q), target: a }));
}

/** "Try it" for NER: a sentence with people, places and organisations, in the data's language and script. */
export const NER_PROMPT = {
  en: 'Alice Johnson flew from London to Geneva to visit the United Nations .',
  'zh-Hans': '李明昨天从上海去北京参观了故宫博物院。',
  'zh-Hant': '李明昨天從台北去高雄參觀了國立科學工藝博物館。'
};

/** "Try it" for QA: a context not among the sample rows, and a question about it. */
export const QA_TRY = {
  en: { context: 'The Yangtze is the longest river in Asia and flows for 6,300 kilometres into the East China Sea.', question: 'How long is the Yangtze?' },
  'zh-Hans': { context: '长江是亚洲最长的河流，全长约六千三百公里，最后流入东海。', question: '长江全长多少公里？' },
  'zh-Hant': { context: '玉山是台灣最高的山，海拔三千九百五十二公尺，位於南投縣。', question: '玉山的海拔是多少？' }
};

/**
 * The overlap between the windows a long context is cut into: 128 tokens at 384, the
 * Hugging Face question-answering example's `doc_stride` beside its `max_seq_length`
 * (examples/pytorch/question-answering/run_qa.py) — a third of the window, at most 128.
 */
export function qaStride(seqLen: number): number {
  return Math.max(1, Math.min(128, Math.floor(seqLen / 3)));
}

/** The BERT-style families whose task heads the parameter counter knows (params/families/encoders.ts). */
const ENCODER_CLASS_PREFIX: Record<string, string> = { bert: 'Bert', roberta: 'Roberta', 'xlm-roberta': 'XLMRoberta' };

/**
 * The model as the cells load it for this task, for the estimate: an encoder's catalog row names
 * its pretraining class (BertForMaskedLM: a vocabulary-wide head and logits), but NER cells load
 * <Family>ForTokenClassification with the MSRA tag set and extractive QA
 * <Family>ForQuestionAnswering — so weights and logits are priced for the head that trains. A
 * generative model keeps its language-model head, whatever the task (generative QA).
 */
export function modelForTask(model: ModelEntry, task: Task | undefined): ModelEntry {
  const asked = task ?? model.tasks[0];
  const prefix = ENCODER_CLASS_PREFIX[String(model.config.model_type ?? '')];
  if (prefix === undefined || (asked !== 'ner' && asked !== 'qa')) return model;
  const architecture = prefix + (asked === 'ner' ? 'ForTokenClassification' : 'ForQuestionAnswering');
  // A fine-tuned checkpoint's id2label names its own tags; the cells build the head anew.
  const { id2label: _labels, label2id: _ids, ...config } = model.config;
  return { ...model, config: { ...config, architectures: [architecture], ...(asked === 'ner' ? { num_labels: NER_LABELS.length } : {}) } };
}
