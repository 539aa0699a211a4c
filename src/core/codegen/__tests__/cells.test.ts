import fc from 'fast-check';
import { selectBlocks, renderCells, toPercentScript, toNotebook, markdownValue, pythonLiteral, CellRequestError } from '..';
import { findModel } from '../../catalog';
import { findGpu } from '../../gpu';
import { t } from '../../i18n';

const qwen = findModel('Qwen/Qwen2.5-7B-Instruct')!;

describe('optional blocks', () => {
  const template = ['a = 1', '# >>> if X', 'b = 2', '    # >>> unless Y', 'c = 3', '    # <<< Y', '# <<< X', 'd = 4'].join('\n');
  it('keeps, drops and nests blocks, removing the markers', () => {
    expect(selectBlocks('t', template, { X: true, Y: false })).toBe('a = 1\nb = 2\nc = 3\nd = 4');
    expect(selectBlocks('t', template, { X: true, Y: true })).toBe('a = 1\nb = 2\nd = 4');
    expect(selectBlocks('t', template, { X: false, Y: false })).toBe('a = 1\nd = 4');
  });
  it('refuses a flag without a value and an unclosed block', () => {
    expect(() => selectBlocks('t', template, { X: true })).toThrow('no value for block flag Y');
    expect(() => selectBlocks('t', '# >>> if X\nb = 2', { X: true })).toThrow('never closed');
  });
});

describe('renderCells', () => {
  it('gives a T4 float16 compute and fp16 training, an A100 bfloat16', () => {
    const t4 = toPercentScript(renderCells({ model: qwen, gpu: findGpu('t4'), method: 'qlora' }));
    expect(t4).toContain('bnb_4bit_compute_dtype=torch.float16');
    expect(t4).toContain('fp16=True');
    expect(t4).not.toContain('bf16=True');
    const a100 = toPercentScript(renderCells({ model: qwen, gpu: findGpu('a100-40gb'), method: 'qlora' }));
    expect(a100).toContain('bnb_4bit_compute_dtype=torch.bfloat16');
    expect(a100).toContain('bf16=True');
  });
  it('lists the steps each method needs, a markdown cell before each', () => {
    const cells = renderCells({ model: qwen, gpu: findGpu('t4'), method: 'inference' });
    expect(cells.filter(c => c.cell_type === 'code').map(c => c.step)).toEqual(['install', 'source', 'load', 'try']);
    expect(cells[1]).toMatchObject({ cell_type: 'markdown', step: 'install' });
  });
  it('speaks the chosen language in markdown', () => {
    const cells = renderCells({ model: qwen, gpu: findGpu('t4'), method: 'lora', language: 'zh-Hant' });
    expect(cells.find(c => c.step === 'train' && c.cell_type === 'markdown')!.source).toContain('## 訓練');
    expect(t('zh-Hans', 'cells.on')).toBe('开启');
  });
  it('the train cell says how long its steps take on this GPU, and what a Colab session holds; not on a CPU or in a simulation', () => {
    const markdown = (request: Parameters<typeof renderCells>[0]) => renderCells(request).filter(c => c.cell_type === 'markdown').map(c => c.source).join('\n');
    expect(markdown({ model: qwen, gpu: findGpu('t4'), method: 'qlora' })).toMatch(/Estimated time on this GPU: about \*\*\d+ min\*\* for these 60 steps \([\d,]+ tokens\/s\)\./);
    const long = markdown({ model: qwen, gpu: findGpu('t4'), method: 'qlora', maxSteps: 3000, language: 'zh-Hant' });
    expect(long).toMatch(/這 3,000 步約 \*\*\d+ 小時( \d+ 分鐘)?\*\*/);
    expect(long).toMatch(/超過一次 Colab 工作階段（約 12 小時）/);
    expect(markdown({ model: qwen, gpu: findGpu('cpu'), method: 'lora' })).not.toMatch(/Estimated time/);
    expect(markdown({ model: qwen, gpu: findGpu('t4'), method: 'qlora', simulateOnCpu: true })).not.toMatch(/Estimated time/);
  });

  it('refuses what it cannot honour, in words the user can act on', () => {
    expect(() => renderCells({ model: qwen, gpu: findGpu('t4'), method: 'full', steps: ['lora'] })).toThrow(CellRequestError);
    expect(() => renderCells({ model: qwen, gpu: findGpu('t4'), method: 'lora', steps: ['fly'] })).toThrow('unknown step "fly"');
    expect(() => renderCells({ model: qwen, gpu: findGpu('apple-silicon'), method: 'qlora' })).toThrow('cannot run bitsandbytes');
  });
  it('writes an nbformat 4.5 notebook with one id per cell', () => {
    const nb = toNotebook(renderCells({ model: qwen, gpu: findGpu('t4'), method: 'qlora' }), { gpu: true });
    expect(nb.nbformat_minor).toBe(5);
    expect(new Set(nb.cells.map(c => c.id)).size).toBe(nb.cells.length);
    expect(nb.metadata.accelerator).toBe('GPU');
  });
});

describe('values written into cells', () => {
  it('a string literal is one line and one quoted token, whatever the string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), s => {
        const lit = pythonLiteral(s);
        expect(lit).not.toMatch(/[\n\r\0\u2028\u2029]/);
        expect(lit.startsWith('"') && lit.endsWith('"')).toBe(true);
        // Inside, every quote is escaped: no unescaped " before the closing one.
        expect(/^"(?:[^"\\]|\\.)*"$/su.test(lit)).toBe(true);
      }),
      { numRuns: 2000 }
    );
  });
  it('a markdown value stays on its line inside one code span', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), s => {
        const md = markdownValue(s);
        expect(md).not.toMatch(/[\n\r\0\u2028\u2029\x85]/);
        expect(md.startsWith('`') && md.endsWith('`')).toBe(true);
      }),
      { numRuns: 2000 }
    );
  });
});
