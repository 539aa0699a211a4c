/**
 * ChatGLM3, GLM-4 and Baichuan2 (remote code the guide recommends first for Chinese): our cells
 * cannot train them (codegen/remote.ts says why, from their code and TRL's), so asking for their
 * training cells is a plain statement with a native model that does train, in the user's
 * language, and they are not a first pick to fine-tune (issue 18 item 10).
 */
import { renderCells, CellRequestError } from '..';
import { findModel } from '../../catalog';
import { findGpu } from '../../gpu';
import { recommendModels } from '../../recommend';

const t4 = findGpu('t4');

describe('remote code our cells cannot train', () => {
  it('ChatGLM3 and GLM-4: refused with the reason (no lm_head) and native models that train', () => {
    for (const id of ['THUDM/chatglm3-6b', 'THUDM/glm-4-9b-chat']) {
      const model = findModel(id)!;
      expect(() => renderCells({ model, gpu: t4, method: 'qlora' })).toThrow(CellRequestError);
      expect(() => renderCells({ model, gpu: t4, method: 'qlora' })).toThrow(/no lm_head \(the output layer is transformer\.output_layer\).*Qwen\/Qwen2\.5-7B-Instruct, THUDM\/GLM-4-9B-0414/);
      expect(() => renderCells({ model, gpu: t4, method: 'qlora', language: 'zh-Hant' })).toThrow(/^無法用這些儲存格微調 /);
      // Loading and trying it, without training, are still written.
      expect(renderCells({ model, gpu: t4, method: 'qlora', steps: ['load', 'try'] }).some(c => c.step === 'try')).toBe(true);
    }
  });
  it('Baichuan2: refused, naming its NormHead (the loss would be silently wrong)', () => {
    const model = findModel('baichuan-inc/Baichuan2-7B-Chat')!;
    expect(() => renderCells({ model, gpu: t4, method: 'lora', language: 'zh-Hans' })).toThrow(/NormHead.*损失会悄悄出错/);
  });
  it('other remote code (InternLM2.5) still gets its training cells', () => {
    expect(renderCells({ model: findModel('internlm/internlm2_5-7b-chat')!, gpu: t4, method: 'qlora' }).some(c => c.step === 'train')).toBe(true);
  });
  it('a Chinese chat fine-tune on a T4 ranks a native model above them, and their card says why', () => {
    const list = recommendModels({ task: 'chat', language: 'zh', gpu: t4, method: 'qlora', models: ['THUDM/chatglm3-6b', 'Qwen/Qwen2.5-7B-Instruct'].map(id => findModel(id)!) });
    expect(list.map(r => r.model.id)).toEqual(['Qwen/Qwen2.5-7B-Instruct', 'THUDM/chatglm3-6b']);
    expect(list[1].reasons.find(r => r.code === 'remote_no_train')!.text).toBe(
      'its own code does not fine-tune with current TRL and transformers; to fine-tune, Qwen/Qwen2.5-7B-Instruct is the native choice'
    );
    const inference = recommendModels({ task: 'chat', language: 'zh', gpu: t4, method: 'inference', models: [findModel('THUDM/chatglm3-6b')!] });
    expect(inference[0].reasons.some(r => r.code === 'remote_no_train')).toBe(false);
  });
});
