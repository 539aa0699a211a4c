/**
 * Vision towers that a multimodal checkpoint's causal-LM class builds beside its text model
 * (so a text fine-tune loads them too). Layouts read in transformers 5.24.
 */
import { ModelConfig } from '../../types';
import { dim, flag, linear, norm, Part } from '../parts';

/**
 * SigLIP's vision transformer (siglip/modeling_siglip.py SiglipVisionModel, SiglipVisionConfig
 * defaults 768 / 3072 / 12 layers / 224 px / patch 16): a biased Conv2d patch embedding, a learned
 * position table of (image / patch)² rows, per layer biased q/k/v/out_proj and fc1/fc2 with two
 * LayerNorms (weight + bias), a post LayerNorm, and the attention-pooling head when
 * `vision_use_head` (probe, nn.MultiheadAttention, LayerNorm, MLP). Its Linear layers are
 * nn.Linear: bitsandbytes quantizes them and LoRA's all-linear adapts them.
 */
export function siglipVision(v: ModelConfig, prefix: string): Part[] {
  const H = dim(v, 'hidden_size', 768);
  const I = dim(v, 'intermediate_size', 3072);
  const L = dim(v, 'num_hidden_layers', 12);
  const patch = dim(v, 'patch_size', 16);
  const channels = dim(v, 'num_channels', 3);
  const positions = Math.floor(dim(v, 'image_size', 224) / patch) ** 2;
  const parts: Part[] = [
    { kind: 'other', name: prefix + 'patch_embedding', params: channels * patch * patch * H + H, count: 1 },
    { kind: 'other', name: prefix + 'position_embedding', params: positions * H, count: 1 },
    linear(prefix + 'q_proj', H, H, true, L),
    linear(prefix + 'k_proj', H, H, true, L),
    linear(prefix + 'v_proj', H, H, true, L),
    linear(prefix + 'out_proj', H, H, true, L),
    linear(prefix + 'fc1', H, I, true, L),
    linear(prefix + 'fc2', I, H, true, L),
    norm(prefix + 'layer_norm1+layer_norm2', 2 * H, 2 * L),
    norm(prefix + 'post_layernorm', 2 * H, 1)
  ];
  if (flag(v, 'vision_use_head', true)) {
    // nn.MultiheadAttention keeps in_proj_weight/bias as plain Parameters and its out_proj is a
    // NonDynamicallyQuantizableLinear (a Linear subclass, which `type(m) is nn.Linear` skips).
    parts.push({ kind: 'other', name: prefix + 'head.probe+attention', params: H + 3 * H * H + 3 * H + H * H + H, count: 1 });
    parts.push(norm(prefix + 'head.layernorm', 2 * H, 1));
    parts.push(linear(prefix + 'head.mlp.fc1', H, I, true, 1), linear(prefix + 'head.mlp.fc2', I, H, true, 1));
  }
  return parts;
}
