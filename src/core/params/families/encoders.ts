/**
 * Encoder and encoder–decoder families transformers ships natively: BERT, RoBERTa,
 * XLM-RoBERTa, MarianMT, T5/mT5. Layouts read in transformers 5.24's modeling source.
 */
import { ModelConfig } from '../../types';
import { dim, embedding, flag, head, linear, norm, numLabels, Part, UnknownFamilyError } from '../parts';

/**
 * BERT-style body (bert/modeling_bert.py, roberta/modeling_roberta.py, xlm_roberta/…):
 * word, position and token-type embeddings with a LayerNorm; per layer biased q/k/v and
 * output dense, intermediate and output Linear, two LayerNorms (weight + bias).
 */
function bertBody(c: ModelConfig, H: number, L: number): Part[] {
  const I = dim(c, 'intermediate_size');
  return [
    embedding('word_embeddings', dim(c, 'vocab_size'), H),
    embedding('position_embeddings', dim(c, 'max_position_embeddings'), H),
    embedding('token_type_embeddings', dim(c, 'type_vocab_size', 2), H),
    norm('embeddings.LayerNorm', 2 * H, 1),
    linear('query', H, H, true, L),
    linear('key', H, H, true, L),
    linear('value', H, H, true, L),
    linear('attention.output.dense', H, H, true, L),
    linear('intermediate.dense', H, I, true, L),
    linear('output.dense', I, H, true, L),
    norm('LayerNorm', 2 * H, 2 * L)
  ];
}

/**
 * What each class adds to the body. BertForMaskedLM has no pooler (`add_pooling_layer=False`)
 * but the MLM head: transform dense + LayerNorm, decoder tied to the word embeddings with its
 * own bias. RobertaForSequenceClassification has its own two-layer head and no pooler.
 */
export function bertLike(c: ModelConfig, family: string, architecture: string): Part[] {
  const H = dim(c, 'hidden_size');
  const L = dim(c, 'num_hidden_layers');
  const V = dim(c, 'vocab_size');
  const tied = flag(c, 'tie_word_embeddings', true);
  const pooler = linear('pooler.dense', H, H, true, 1);
  const mlmHead: Part[] = [linear('mlm.transform.dense', H, H, true, 1), norm('mlm.LayerNorm', 2 * H, 1), head('mlm.decoder', H, V, true, tied)];
  const roberta = family !== 'bert';
  const kind = architecture.replace(/^(Bert|Roberta|XLMRoberta)/, '');
  let extra: Part[];
  switch (kind) {
    case 'Model':
      extra = [pooler];
      break;
    case 'ForMaskedLM':
    case 'ForCausalLM':
    case 'LMHeadModel':
      extra = mlmHead;
      break;
    case 'ForPreTraining':
      if (roberta) throw new UnknownFamilyError(family, `architecture ${architecture} is not one we count`);
      extra = [pooler, ...mlmHead, head('seq_relationship', H, 2, true, false)];
      break;
    case 'ForSequenceClassification':
      extra = roberta
        ? [linear('classifier.dense', H, H, true, 1), head('classifier.out_proj', H, numLabels(c), true, false)]
        : [pooler, head('classifier', H, numLabels(c), true, false)];
      break;
    case 'ForTokenClassification':
      extra = [head('classifier', H, numLabels(c), true, false)];
      break;
    case 'ForQuestionAnswering':
      extra = [head('qa_outputs', H, 2, true, false)];
      break;
    default:
      throw new UnknownFamilyError(family, `architecture ${architecture} is not one we count`);
  }
  return [...bertBody(c, H, L), ...extra];
}

/**
 * MarianMT (marian/modeling_marian.py): shared token embeddings (when
 * `share_encoder_decoder_embeddings`), a sinusoidal position table per stack that is an
 * nn.Embedding — so a parameter, frozen — biased attention and FFN, LayerNorms after each
 * sub-layer, `lm_head` tied to the shared embeddings; `final_logits_bias` is a buffer.
 */
export function marian(c: ModelConfig, family: string, architecture: string): Part[] {
  const d = dim(c, 'd_model');
  const V = dim(c, 'vocab_size');
  const share = flag(c, 'share_encoder_decoder_embeddings', true);
  const Vdec = share ? V : dim(c, 'decoder_vocab_size', V);
  const P = dim(c, 'max_position_embeddings');
  const Le = dim(c, 'encoder_layers');
  const Ld = dim(c, 'decoder_layers');
  const Fe = dim(c, 'encoder_ffn_dim');
  const Fd = dim(c, 'decoder_ffn_dim');
  const parts: Part[] = [
    embedding(share ? 'shared' : 'encoder.embed_tokens', V, d),
    embedding('embed_positions', P, d, 2),
    linear('self_attn.q_proj', d, d, true, Le + Ld),
    linear('self_attn.k_proj', d, d, true, Le + Ld),
    linear('self_attn.v_proj', d, d, true, Le + Ld),
    linear('self_attn.out_proj', d, d, true, Le + Ld),
    linear('encoder_attn.q_proj', d, d, true, Ld),
    linear('encoder_attn.k_proj', d, d, true, Ld),
    linear('encoder_attn.v_proj', d, d, true, Ld),
    linear('encoder_attn.out_proj', d, d, true, Ld),
    linear('encoder.fc1', d, Fe, true, Le),
    linear('encoder.fc2', Fe, d, true, Le),
    linear('decoder.fc1', d, Fd, true, Ld),
    linear('decoder.fc2', Fd, d, true, Ld),
    norm('layer norms', 2 * d, 2 * Le + 3 * Ld)
  ];
  if (!share) parts.push(embedding('decoder.embed_tokens', Vdec, d));
  if (architecture === 'MarianMTModel') parts.push(head('lm_head', d, Vdec, false, flag(c, 'tie_word_embeddings', true)));
  else if (architecture !== 'MarianModel') throw new UnknownFamilyError(family, `architecture ${architecture} is not one we count`);
  return parts;
}

/**
 * T5 and mT5 (t5/modeling_t5.py, mt5/…): shared embeddings; bias-free attention of
 * num_heads × d_kv; FFN `wi`/`wo`, or gated `wi_0`/`wi_1`/`wo` when feed_forward_proj is
 * "gated-…" (T5 v1.1, mT5); RMS-style LayerNorm (weight only); a relative-position bias table
 * (buckets × heads) in the first block of each stack only.
 */
export function t5(c: ModelConfig, family: string, architecture: string): Part[] {
  const d = dim(c, 'd_model');
  const inner = dim(c, 'num_heads') * dim(c, 'd_kv');
  const F = dim(c, 'd_ff');
  const Le = dim(c, 'num_layers');
  const encoderOnly = architecture.endsWith('EncoderModel');
  const Ld = encoderOnly ? 0 : dim(c, 'num_decoder_layers', Le);
  const gated = String(c.feed_forward_proj ?? 'relu').startsWith('gated-');
  const V = dim(c, 'vocab_size');
  const ffn: Part[] = gated
    ? [linear('wi_0', d, F, false, Le + Ld), linear('wi_1', d, F, false, Le + Ld), linear('wo', F, d, false, Le + Ld)]
    : [linear('wi', d, F, false, Le + Ld), linear('wo', F, d, false, Le + Ld)];
  const parts: Part[] = [
    embedding('shared', V, d),
    linear('SelfAttention.q', d, inner, false, Le + Ld),
    linear('SelfAttention.k', d, inner, false, Le + Ld),
    linear('SelfAttention.v', d, inner, false, Le + Ld),
    linear('SelfAttention.o', inner, d, false, Le + Ld),
    linear('EncDecAttention.q', d, inner, false, Ld),
    linear('EncDecAttention.k', d, inner, false, Ld),
    linear('EncDecAttention.v', d, inner, false, Ld),
    linear('EncDecAttention.o', inner, d, false, Ld),
    ...ffn,
    { kind: 'other', name: 'relative_attention_bias', params: dim(c, 'relative_attention_num_buckets', 32) * dim(c, 'num_heads'), count: encoderOnly ? 1 : 2 },
    norm('layer_norm', d, 2 * Le + 3 * Ld + (encoderOnly ? 1 : 2))
  ];
  // transformers 5 ties T5's and mT5's lm_head to `shared` whatever config.json says: T5Config
  // and MT5Config pop `tie_word_embeddings` and set it True (configuration_t5.py, _mt5.py —
  // "we tie weights always"), so mT5's published `false` no longer gives a separate head.
  if (/ForConditionalGeneration$/.test(architecture)) parts.push(head('lm_head', d, V, false, true));
  else if (!/(EncoderModel|Model)$/.test(architecture) || /For/.test(architecture)) throw new UnknownFamilyError(family, `architecture ${architecture} is not one we count`);
  return parts;
}
