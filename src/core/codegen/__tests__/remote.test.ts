/**
 * Remote code whose stack the cells do not know — ChatGLM and Baichuan relatives beside ChatGLM3,
 * GLM-4-9B and Baichuan2 (which train on their own stacks: remoteStack.test.ts) — cannot train with
 * the current stack (codegen/remote.ts says why, from their code and TRL's), so asking for their
 * training cells is a plain statement with a native model that does train, in the user's language,
 * and they are not a first pick to fine-tune (issue 18 item 10).
 */
import { renderCells, CellRequestError } from '..';
import { findModel } from '../../catalog';
import { findGpu } from '../../gpu';
import { recommendModels } from '../../recommend';

const t4 = findGpu('t4');
const glm3 = findModel('THUDM/chatglm3-6b')!;
// ChatGLM2-6B: ChatGLM3's architecture, its own (older) code, whose stack the cells do not pin.
const chatglm2 = { ...glm3, id: 'THUDM/chatglm2-6b', modelscope_id: null };
// Baichuan 1: another vocabulary (64,000) and head.
const baichuan1 = { ...findModel('baichuan-inc/Baichuan2-7B-Chat')!, id: 'baichuan-inc/Baichuan-7B', config: { ...findModel('baichuan-inc/Baichuan2-7B-Chat')!.config, vocab_size: 64000 } };

describe('remote code our cells cannot train', () => {
  it('a ChatGLM relative: refused with the reason (no lm_head) and native models that train', () => {
    expect(() => renderCells({ model: chatglm2, gpu: t4, method: 'qlora' })).toThrow(CellRequestError);
    expect(() => renderCells({ model: chatglm2, gpu: t4, method: 'qlora' })).toThrow(/no lm_head \(the output layer is transformer\.output_layer\).*ChatGLM3-6B, GLM-4-9B and Baichuan2 only.*Qwen\/Qwen2\.5-7B-Instruct, THUDM\/GLM-4-9B-0414/);
    expect(() => renderCells({ model: chatglm2, gpu: t4, method: 'qlora', language: 'zh-Hant' })).toThrow(/^無法用這些儲存格微調 /);
    // Loading and trying it, without training, are still written.
    expect(renderCells({ model: chatglm2, gpu: t4, method: 'qlora', steps: ['load', 'try'] }).some(c => c.step === 'try')).toBe(true);
  });
  it('a Baichuan relative: refused, naming the NormHead', () => {
    expect(() => renderCells({ model: baichuan1, gpu: t4, method: 'lora', language: 'zh-Hans' })).toThrow(/NormHead.*损失会悄悄出错/);
  });
  it('ChatGLM3, GLM-4 and Baichuan2 themselves get training cells (on their own stacks)', () => {
    for (const id of ['THUDM/chatglm3-6b', 'THUDM/glm-4-9b-chat', 'baichuan-inc/Baichuan2-7B-Chat', 'baichuan-inc/Baichuan2-13B-Base']) {
      expect(renderCells({ model: findModel(id)!, gpu: t4, method: 'qlora' }).some(c => c.step === 'train')).toBe(true);
    }
  });
  it('other remote code (InternLM2.5) still gets its training cells, on the current stack', () => {
    const cells = renderCells({ model: findModel('internlm/internlm2_5-7b-chat')!, gpu: t4, method: 'qlora' });
    expect(cells.some(c => c.step === 'train' && c.source.includes('SFTTrainer('))).toBe(true);
  });
  it('a relative ranks below a native model to fine-tune, and its card says why', () => {
    const list = recommendModels({ task: 'chat', language: 'zh', gpu: t4, method: 'qlora', models: [chatglm2, findModel('Qwen/Qwen2.5-7B-Instruct')!] });
    expect(list.map(r => r.model.id)).toEqual(['Qwen/Qwen2.5-7B-Instruct', 'THUDM/chatglm2-6b']);
    expect(list[1].reasons.find(r => r.code === 'remote_no_train')!.text).toBe(
      'its own code does not fine-tune with current TRL and transformers; to fine-tune, Qwen/Qwen2.5-7B-Instruct is the native choice'
    );
    const inference = recommendModels({ task: 'chat', language: 'zh', gpu: t4, method: 'inference', models: [chatglm2] });
    expect(inference[0].reasons.some(r => r.code === 'remote_no_train')).toBe(false);
  });
});
