/** The head a class puts on top of its body, read from the class name in `architectures[0]`. */
import { ModelConfig } from '../../types';
import { head, numLabels, Part, UnknownFamilyError } from '../parts';

/**
 * Causal decoders: `…ForCausalLM` / `…LMHeadModel` add `lm_head` (tied or not);
 * `…ForSequenceClassification` adds `score = nn.Linear(hidden, num_labels, bias=False)`
 * (transformers `GenericForSequenceClassification`, modeling_layers.py); a bare `…Model` none.
 */
export function decoderHead(config: ModelConfig, family: string, architecture: string, hidden: number, vocab: number, tiedByDefault: boolean): Part[] {
  if (/(ForCausalLM|LMHeadModel|ForConditionalGeneration)$/.test(architecture)) {
    const tied = config.tie_word_embeddings === undefined || config.tie_word_embeddings === null ? tiedByDefault : config.tie_word_embeddings === true;
    return [head('lm_head', hidden, vocab, false, tied)];
  }
  if (architecture.endsWith('ForSequenceClassification')) return [head('score', hidden, numLabels(config), false, false)];
  if (architecture.endsWith('Model')) return [];
  throw new UnknownFamilyError(family, `architecture ${architecture} is not one we count`);
}
