/**
 * The comments inside the inserted code follow the chosen language: how a template's comments are
 * found and replaced, and that every comment a user can see has a translation that reads right.
 * (tests/test_cells.py checks with Python's tokenizer that only comments change.)
 */
import * as OpenCC from 'opencc-js';
import { renderCells, SNIPPETS } from '..';
import { commentUnits, translateComments, UNSHOWN_SNIPPETS } from '../comments';
import { SNIPPET_COMMENTS } from '../snippets.generated';
import { findModel } from '../../catalog';
import { findGpu } from '../../gpu';
import { isWide } from '../../i18n';
import { MAINLAND } from '../../i18n/__tests__/taiwan';

const SHOWN = Object.keys(SNIPPETS).filter(name => !UNSHOWN_SNIPPETS.has(name));
const CHINESE = ['zh-Hans', 'zh-Hant'] as const;
const HAN = /[\u4e00-\u9fff]/;
/** Columns a line takes in a monospaced editor: a Chinese character or full-width mark is two. */
const columns = (line: string) => [...line].reduce((n, ch) => n + (isWide(ch) ? 2 : 1), 0);

describe('finding the comments of a template', () => {
  const template = [
    '# Load the model and its tokenizer',
    '# (the tool that turns text into numbers).',
    'import torch',
    '# >>> if GPU',
    'x = "#not a comment"  # a trailing comment',
    "y = '\\'#'  # after an escaped quote",
    '# <<< GPU',
    'if x:',
    '    # Indented: its own paragraph.',
    '    pass',
    '# To load it later:',
    '#     from peft import PeftModel',
    '#',
    '# Another paragraph.',
    'z = 1  #   code quoted in a trailing comment'
  ].join('\n');

  it('groups full-line comments into paragraphs and keeps markers, code in comments and strings out', () => {
    expect(commentUnits('t', template).map(u => [u.kind, u.key, u.first, u.last])).toEqual([
      ['paragraph', 'Load the model and its tokenizer (the tool that turns text into numbers).', 0, 1],
      ['trailing', 'a trailing comment', 4, 4],
      ['trailing', 'after an escaped quote', 5, 5],
      ['paragraph', 'Indented: its own paragraph.', 8, 8],
      ['paragraph', 'To load it later:', 10, 10],
      ['paragraph', 'Another paragraph.', 13, 13]
    ]);
  });

  it('replaces each unit by its translation, a paragraph with its own line breaks, the code untouched', () => {
    const out = translateComments('t', template, {
      'Load the model and its tokenizer (the tool that turns text into numbers).': '載入模型和它的分詞器\n（把文字變成數字的工具）。',
      'a trailing comment': '行尾註解',
      'Indented: its own paragraph.': '縮排：自成一段。'
    }).split('\n');
    expect(out.slice(0, 3)).toEqual(['# 載入模型和它的分詞器', '# （把文字變成數字的工具）。', 'import torch']);
    expect(out[4]).toBe('x = "#not a comment"  # 行尾註解');
    expect(out[5]).toBe("y = '\\'#'  # after an escaped quote"); // no translation: stays English
    expect(out[8]).toBe('    # 縮排：自成一段。');
    expect(out.slice(10, 13)).toEqual(['# To load it later:', '#     from peft import PeftModel', '#']);
  });

  it('refuses a multi-line translation of a trailing comment and a line it cannot read', () => {
    expect(() => translateComments('t', 'x = 1  # one', { one: 'a\nb' })).toThrow('must be one line');
    expect(() => commentUnits('t', 's = """open\nstill # open"""')).toThrow('runs past the end');
  });
});

describe('the translation tables', () => {
  const keys = new Set(SHOWN.flatMap(name => commentUnits(name, SNIPPETS[name]).map(u => u.key)));
  const trailing = new Set(SHOWN.flatMap(name => commentUnits(name, SNIPPETS[name]).filter(u => u.kind === 'trailing').map(u => u.key)));

  it.each(CHINESE)('%s translates every comment a user sees, and nothing else', lang => {
    const table = SNIPPET_COMMENTS[lang] ?? {};
    expect([...keys].filter(k => !table[k]?.trim())).toEqual([]);
    expect(Object.keys(table).filter(k => !keys.has(k))).toEqual([]); // an English comment was edited: update its key
  });

  it.each(CHINESE)('%s: each translation is Chinese, one line after code, and cannot change the code', lang => {
    const problems = Object.entries(SNIPPET_COMMENTS[lang] ?? {}).flatMap(([key, value]) => [
      ...(HAN.test(value) ? [] : [`not Chinese: ${value}`]),
      ...(trailing.has(key) && value.includes('\n') ? [`two lines after code: ${value}`] : []),
      ...(/__[A-Z][A-Z0-9_]*__|>>>|<<<|[\r\t]/.test(value) ? [`a placeholder, marker or control character: ${value}`] : []),
      // A paragraph's lines fit the 88 columns the English ones keep to, after the "# " and an indent.
      ...value.split('\n').filter(line => columns(line) > 80).map(line => `a line of ${columns(line)} columns: ${line}`)
    ]);
    expect(problems).toEqual([]);
  });

  it('zh-Hans uses no Traditional-only character, zh-Hant no Simplified-only one', () => {
    const toMainland = OpenCC.Converter({ from: 'tw', to: 'cn' });
    const toTaiwan = OpenCC.Converter({ from: 'cn', to: 'tw' });
    // Whole texts, not characters one by one: alone, 么 reads to OpenCC as the variant of 幺.
    const wrong = [
      ...Object.values(SNIPPET_COMMENTS['zh-Hans'] ?? {}).filter(v => toMainland(v) !== v).map(v => `zh-Hans: ${v} → ${toMainland(v)}`),
      ...Object.values(SNIPPET_COMMENTS['zh-Hant'] ?? {}).filter(v => toTaiwan(v) !== v).map(v => `zh-Hant: ${v} → ${toTaiwan(v)}`)
    ];
    expect(wrong).toEqual([]);
  });

  it('zh-Hant uses Taiwanese terms, and says which memory: 系統記憶體 or GPU 記憶體', () => {
    const problems = Object.values(SNIPPET_COMMENTS['zh-Hant'] ?? {}).flatMap(v => [
      ...Object.keys(MAINLAND).filter(word => v.includes(word)).map(word => `${word} → ${MAINLAND[word]}: ${v}`),
      ...(/(?<!系統|GPU |CPU )記憶體/.test(v) ? [`an unqualified 記憶體: ${v}`] : [])
    ]);
    expect(problems).toEqual([]);
  });
});

describe('cells in Chinese', () => {
  const qwen = findModel('Qwen/Qwen2.5-7B-Instruct')!;
  it.each(CHINESE)('%s: the code cells of a T4 QLoRA notebook have no English comment left', lang => {
    const cells = renderCells({ model: qwen, gpu: findGpu('t4'), method: 'qlora', language: lang });
    const english = cells
      .filter(c => c.cell_type === 'code')
      .flatMap(c => c.source.split('\n'))
      .map(line => /#\s*(.*)$/.exec(line.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""'))?.[1] ?? '')
      .filter(comment => /[A-Za-z]{3,} [a-z]{3,}/.test(comment) && !HAN.test(comment) && !/^\s*(from|import|model|tokenizer)\b/.test(comment));
    expect(english).toEqual([]);
  });

  it('keeps the English comments in English', () => {
    const cells = renderCells({ model: qwen, gpu: findGpu('t4'), method: 'qlora', language: 'en' });
    const load = cells.find(c => c.step === 'load' && c.cell_type === 'code')!.source;
    expect(load).toContain('# Load the model and its tokenizer');
    expect(HAN.test(cells.filter(c => c.cell_type === 'code').map(c => c.source).join('\n').replace(/"(?:\\.|[^"\\])*"/g, ''))).toBe(false);
  });
});
