/**
 * The data a notebook trains on when the user names none, picked by the data's language and the
 * model's head. English generation and classification use public hub datasets; Chinese data and
 * translation use a few sample rows written into the cell itself, clearly marked "replace with
 * your data" — so the notebook runs unchanged (even where the hub's datasets are unreachable) and
 * shows the exact columns the trainer reads.
 */
import type { PythonValue } from './literal';

export type DataLanguage = 'en' | 'zh';

/** Read a data language ("zh", "zh-CN", "zh-Hant" …); anything else is English. */
export function toDataLanguage(spec: string | undefined): DataLanguage {
  return (spec ?? '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** Hub datasets for English: a chat dataset ("messages") and a plain-text one ("text"). */
export const HUB_CHAT_DATASET = 'trl-lib/Capybara';
// Plain text ("text" column): movie reviews, 25,000 rows — for base models that have no chat template.
export const HUB_TEXT_DATASET = 'stanfordnlp/imdb';
export const HUB_CLASSIFICATION_DATASET = 'stanfordnlp/imdb'; // "text" and "label" columns

const ZH_PAIRS: Array<[string, string]> = [
  ['什么是微调？', '微调是在一个已经训练好的模型上，用你自己的数据再训练一小段时间，让它更擅长你的任务。'],
  ['LoRA 是什么？', 'LoRA 在每个冻结的权重矩阵旁边加上两个很小的矩阵，只训练这些小矩阵，因此省显存。'],
  ['为什么要把权重压缩到 4 位？', '4 位权重只占 16 位的四分之一显存，让大模型也能在免费的 GPU 上训练。'],
  ['梯度检查点有什么用？', '它在反向传播时重新计算激活值，而不是全部保存，用更多时间换更少显存。'],
  ['训练前要准备什么数据？', '准备几百到几千条与你的任务相同格式的问答，质量比数量更重要。'],
  ['怎么判断训练有没有效果？', '看训练损失是否下降，再用没见过的问题试一试模型的回答。'],
  ['显存不够怎么办？', '减小批大小或序列长度，打开梯度检查点，或者换用更小的模型。'],
  ['训练好的模型怎么保存？', '保存 LoRA 适配器只需要几十兆；需要时再把它合并进基础模型。']
];

const ZH_CLASSIFY: Array<[string, number]> = [
  ['这部电影太精彩了，我还想再看一遍。', 1],
  ['剧情拖沓，看到一半就睡着了。', 0],
  ['服务很热情，菜也很好吃。', 1],
  ['等了一个小时，饭菜还是凉的。', 0],
  ['这本书写得清楚易懂，推荐给大家。', 1],
  ['质量太差，用了两天就坏了。', 0],
  ['演员的表演非常自然，很感人。', 1],
  ['客服一直不回消息，非常失望。', 0]
];

const EN_ZH_PAIRS: Array<[string, string]> = [
  ['Fine-tuning adapts a model to your data.', '微调让模型适应你的数据。'],
  ['The adapter is small and easy to share.', '适配器很小，便于分享。'],
  ['Reduce the batch size if memory runs out.', '如果显存不够，就减小批大小。'],
  ['Save the model when training is done.', '训练结束后保存模型。'],
  ['This sentence is a sample; replace it with your data.', '这句话只是示例，请换成你自己的数据。'],
  ['Check the loss after each step.', '每一步之后检查损失。'],
  ['The weights are stored in four bits.', '权重以四位存储。'],
  ['Try the model on a new sentence.', '用一个新句子试试模型。']
];

/** Chat rows ("messages"), for a tokenizer with a chat template. */
function chatRows(pairs: Array<[string, string]>): PythonValue {
  return pairs.map(([q, a]) => ({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] }));
}

/** Plain-text rows ("text"), for a tokenizer without one. */
function textRows(pairs: Array<[string, string]>): PythonValue {
  return pairs.map(([q, a]) => ({ text: `${q}\n${a}` }));
}

/** The built-in sample rows for a causal LM: both forms, the cell picks by the tokenizer. */
export function sampleGeneration(): { chat: PythonValue; text: PythonValue } {
  return { chat: chatRows(ZH_PAIRS), text: textRows(ZH_PAIRS) };
}

export function sampleClassification(): PythonValue {
  return ZH_CLASSIFY.map(([text, label]) => ({ text, label }));
}

/** Translation pairs, English → Chinese by default; Chinese data language reverses them. */
export function sampleTranslation(lang: DataLanguage): PythonValue {
  return EN_ZH_PAIRS.map(([en, zh]) => (lang === 'zh' ? { source: zh, target: en } : { source: en, target: zh }));
}
