/**
 * @jest-environment jsdom
 *
 * The panel in each state a user can meet, rendered whole (the views, the choices, the core)
 * behind a host that holds a recorded probe report and a list of inserted cells — the same
 * interface the sidebar and the widget implement.
 */
import * as React from 'react';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import type { Cell } from '../../../core/codegen';
import type { Language } from '../../../core/i18n';
import type { RuntimeState } from '../host';
import { BUSY_T4, CPU_ONLY, T4 } from '../../__tests__/reports';
import { AdvisorModel } from '../advisor';
import { Emitter, PanelHost } from '../host';
import { AdvisorPanel } from '../Panel';

class RecordedHost implements PanelHost {
  constructor(public runtime: RuntimeState) {}
  readonly changed = new Emitter();
  canInsert = true;
  notebookPath = 'work/notebook.ipynb';
  inserted: Cell[][] = [];
  refreshRuntime(): void {}
  insertCells(cells: readonly Cell[]) {
    this.inserted.push([...cells]);
    return { count: cells.length };
  }
}

function panel(runtime: RuntimeState, lang: Language = 'en') {
  const host = new RecordedHost(runtime);
  const advisor = new AdvisorModel(host, lang);
  render(<AdvisorPanel advisor={advisor} />);
  return { host, advisor };
}

const verdict = () => screen.getByTestId('model-advisor-verdict');
const cardOf = (id: string) => screen.getByRole('radio', { name: id }).closest('.jp-ModelAdvisor-model') as HTMLElement;
const chosenCard = () => screen.getByRole('radio', { checked: true }).closest('.jp-ModelAdvisor-model') as HTMLElement;

describe('two panels on one page (two widgets, or a widget beside the sidebar)', () => {
  it('each keeps its own choice: its radios have their own name, its labels point into itself', () => {
    const a = new AdvisorModel(new RecordedHost({ kind: 'ready', report: T4 }), 'en');
    const b = new AdvisorModel(new RecordedHost({ kind: 'ready', report: T4 }), 'en');
    const { container } = render(
      <>
        <div data-testid="panel-a"><AdvisorPanel advisor={a} /></div>
        <div data-testid="panel-b"><AdvisorPanel advisor={b} /></div>
      </>
    );
    const inA = within(screen.getByTestId('panel-a'));
    const inB = within(screen.getByTestId('panel-b'));
    const ids = [...container.querySelectorAll('[id]')].map(e => e.id);
    expect(ids.length).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
    const radiosA = inA.getAllByRole('radio') as HTMLInputElement[];
    const radiosB = inB.getAllByRole('radio') as HTMLInputElement[];
    expect(radiosA[0].name).not.toBe(radiosB[0].name);
    fireEvent.click(radiosA[1]);
    fireEvent.click(radiosB[2]);
    expect(radiosA[1].checked).toBe(true);
    expect(radiosB[2].checked).toBe(true);
    expect(radiosA.filter(r => r.checked)).toHaveLength(1);
    // A label's control is the one in its own panel: the sequence length of panel B is B's.
    const field = inB.getByTestId('model-advisor-seq-len');
    expect(container.querySelector(`label[for="${field.id}"]`)?.closest('[data-testid="panel-b"]')).toBeTruthy();
  });
});

describe('the panel, state by state', () => {
  it('waiting for the runtime: says so, lists nothing, the insert bar is there', () => {
    panel({ kind: 'probing', busy: false });
    expect(screen.getByText('Asking the kernel about its GPU…')).toBeTruthy();
    expect(screen.getByText('The models appear once the runtime’s GPU is known.')).toBeTruthy();
    expect(screen.getByTestId('model-advisor-insert-bar')).toBeTruthy();
  });

  it('a probe that failed: the error, and no advice', () => {
    panel({ kind: 'error', message: 'the kernel died' });
    expect(screen.getByText('Could not read the runtime: the kernel died')).toBeTruthy();
    expect(screen.queryByTestId('model-advisor-verdict')).toBeNull();
  });

  it('no GPU: a small model, a CPU smoke test, and the plan can move to a Colab T4', () => {
    const { host, advisor } = panel({ kind: 'ready', report: CPU_ONLY });
    expect(screen.getByTestId('model-advisor-gpu').textContent).toBe('No NVIDIA GPU in this runtime');
    expect(verdict().textContent).toMatch(/^Fits: /);
    expect(screen.getByTestId('model-advisor-plan-for')).toHaveProperty('value', 'runtime');
    fireEvent.click(screen.getByTestId('model-advisor-insert-cells'));
    const train = host.inserted[0].map(c => c.source).join('\n');
    expect(train).toContain('use_cpu=True');
    expect(train).toContain('max_steps=10');
    expect(train).toContain('per_device_train_batch_size=1');
    expect(advisor.notice).toMatch(/^Inserted \d+ cells below the active cell\.$/);
  });

  it('another target: a Colab T4 from a laptop, said plainly; Qwen3.5-9B (the first pick) QLoRA fits; the cells are the T4 recipe', () => {
    const { host } = panel({ kind: 'ready', report: CPU_ONLY });
    fireEvent.change(screen.getByTestId('model-advisor-plan-for'), { target: { value: 'profile:t4' } });
    expect(screen.getByTestId('model-advisor-elsewhere').textContent).toBe(
      'Planning for Tesla T4 · 15.0 GiB, not for this runtime (CPU only): the estimate, the list and the cells are for that GPU. Run the cells there.'
    );
    fireEvent.change(screen.getByLabelText('Method'), { target: { value: 'qlora' } });
    fireEvent.click(screen.getByRole('radio', { name: 'Qwen/Qwen3.5-9B' }));
    expect(verdict().textContent).toMatch(/^Fits: [\d.]+ GiB of 15\.0 GiB$/);
    fireEvent.click(screen.getByTestId('model-advisor-insert-cells'));
    const cells = host.inserted[0].map(c => c.source).join('\n');
    expect(cells).toContain('bnb_4bit_compute_dtype=torch.float16');
    expect(cells).toContain('fp16=True');
    expect(cells).toContain('"paged_adamw_8bit"');
    expect(cells).not.toContain('use_cpu=True');
  });

  it('a busy T4: how much is in use; the chosen card and the estimate say the same', () => {
    panel({ kind: 'ready', report: BUSY_T4 });
    expect(screen.getByTestId('model-advisor-busy').textContent).toMatch(/^10\.2 GiB of GPU memory is already in use/);
    expect(within(chosenCard()).getByTestId('model-advisor-card-verdict').textContent).toBe(verdict().textContent);
  });

  it('fits, tight and does not fit: at 8,192 tokens every card agrees with the estimate of its model', () => {
    panel({ kind: 'ready', report: T4 });
    fireEvent.change(screen.getByTestId('model-advisor-seq-len'), { target: { value: '8192' } });
    const radios = screen.getAllByRole('radio');
    expect(radios.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    for (const radio of radios) {
      fireEvent.click(radio);
      const card = within(chosenCard()).getByTestId('model-advisor-card-verdict').textContent;
      expect(card).toBe(verdict().textContent);
      seen.add(verdict().className);
    }
    expect(screen.getByText(/· 8,192 tokens ·/)).toBeTruthy();
    // A length that fits nothing: the estimate says "does not fit", the field is not invalid.
    fireEvent.change(screen.getByTestId('model-advisor-seq-len'), { target: { value: '30000' } });
    expect(screen.getByTestId('model-advisor-seq-len').getAttribute('aria-invalid')).toBeNull();
  });

  it('a tight fit and a fit that is not: the bar and the verdict take the verdict’s colour', () => {
    panel({ kind: 'ready', report: T4 });
    fireEvent.change(screen.getByLabelText('Method'), { target: { value: 'full' } });
    fireEvent.change(screen.getByTestId('model-advisor-seq-len'), { target: { value: '512' } });
    const bar = screen.getByTestId('model-advisor-bar');
    expect(bar.className).toMatch(/jp-ModelAdvisor-bar-(fits|tight|no)/);
    expect(bar.getAttribute('aria-label')).toContain(verdict().textContent!.split(':')[0]);
  });

  it('an invalid length is flagged at its field, with the message beside it', () => {
    panel({ kind: 'ready', report: T4 });
    const field = screen.getByTestId('model-advisor-seq-len');
    fireEvent.change(field, { target: { value: '7' } });
    expect(field.getAttribute('aria-invalid')).toBe('true');
    const message = document.getElementById(field.getAttribute('aria-describedby')!)!;
    expect(message.textContent).toMatch(/^The sequence length must be a whole number of tokens from 16 to \d{1,3}(,\d{3})+\.$/);
  });

  it('the length slider ends at the longest length that fits, and moving it re-estimates', () => {
    panel({ kind: 'ready', report: T4 });
    const slider = screen.getByTestId('model-advisor-seqLenSlider') as HTMLInputElement;
    const max = Number(slider.max);
    expect(screen.getByText(new RegExp(`longest that fits \\(${max.toLocaleString('en-US')} tokens\\)`))).toBeTruthy();
    act(() => {
      fireEvent.change(slider, { target: { value: String(Math.floor(max / 128) * 64) } });
    });
    expect(screen.getByText(new RegExp(`· ${(Math.floor(max / 128) * 64).toLocaleString('en-US')} tokens ·`))).toBeTruthy();
    expect(verdict().textContent).toMatch(/^(Fits|Tight)/);
  });

  it('in 繁體中文: Traditional Chinese data first, Taiwan-tuned models at the top, no English left', () => {
    panel({ kind: 'ready', report: T4 }, 'zh-Hant');
    expect((screen.getByLabelText('資料的語言') as HTMLSelectElement).value).toBe('zh-Hant');
    const first = screen.getAllByRole('radio')[0].getAttribute('value');
    expect(['MediaTek-Research/Breeze-7B-Instruct-v1_0', 'taide/Llama3-TAIDE-LX-8B-Chat-Alpha1']).toContain(first);
    // Every text the panel shows (each text node apart), model ids aside: no English word in lower case is left.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const english: string[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // Options of the recipe group are code values as a script writes them (adamw, sdpa, eager).
      if (node.parentElement!.closest('option')) continue;
      const text = (node.textContent ?? '').replace(/\b\w+(-\w+)+\b/g, '').replace(/[\w.-]+\/[\w.-]*/g, '').replace(/\b\w+_\w+\b/g, '').replace(/\b\w+(\.\w+)+(\(\))?/g, '');
      for (const word of text.match(/\b[a-z]{4,}\b/g) ?? []) if (!['token', 'logits', 'bitsandbytes', 'alpha', 'attention'].includes(word)) english.push(`${word} in «${text}»`);
    }
    expect(english).toEqual([]);
    expect(cardOf(first!)).toBeTruthy();
  });

  it('in 繁體中文 the inserted code explains itself in 繁體中文 too: its comments are translated', () => {
    const { host } = panel({ kind: 'ready', report: T4 }, 'zh-Hant');
    fireEvent.click(screen.getByTestId('model-advisor-insert-cells'));
    const load = host.inserted[0].find(c => c.cell_type === 'code' && c.step === 'load')!.source;
    expect(load).toMatch(/^# 載入模型及其分詞器/m);
    expect(load).toContain('dtype=torch.float16,  # 權重的數值格式');
    expect(load).not.toContain('# Load the model');
  });
});

describe('the guide’s tasks, chosen in the sidebar (issue 18): NER and question answering', () => {
  const words = {
    en: { task: 'Task', ner: 'Named entities (NER)', qa: 'Question answering', nerCell: 'Named-entity recognition', qaCell: 'Extractive question answering' },
    'zh-Hans': { task: '任务', ner: '命名实体识别（NER）', qa: '问答', nerCell: '命名实体识别', qaCell: '抽取式问答' },
    'zh-Hant': { task: '任務', ner: '命名實體辨識（NER）', qa: '問答', nerCell: '命名實體辨識', qaCell: '擷取式問答' }
  } as const;
  for (const lang of ['en', 'zh-Hans', 'zh-Hant'] as const) {
    it(`in ${lang}: NER lists the BERT models and inserts a tagger's cells; QA inserts extractive QA`, () => {
      const w = words[lang];
      const { host } = panel({ kind: 'ready', report: T4 }, lang);
      const task = screen.getByLabelText(w.task) as HTMLSelectElement;
      expect([...task.options].find(o => o.value === 'ner')!.textContent).toBe(w.ner);
      expect([...task.options].find(o => o.value === 'qa')!.textContent).toBe(w.qa);

      fireEvent.change(task, { target: { value: 'ner' } });
      expect(chosenCard().textContent).toMatch(/bert|roberta/i);
      fireEvent.click(screen.getByTestId('model-advisor-insert-cells'));
      expect(host.inserted).toHaveLength(1);
      const ner = host.inserted[0];
      const code = (step: string, cells: readonly Cell[]) => cells.find(c => c.cell_type === 'code' && c.step === step)!.source;
      const markdown = (step: string, cells: readonly Cell[]) => cells.find(c => c.cell_type === 'markdown' && c.step === step)!.source;
      expect(code('load', ner)).toContain('AutoModelForTokenClassification.from_pretrained(');
      expect(code('load', ner)).toContain('label_names = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]');
      expect(code('train', ner)).toContain('data_collator=DataCollatorForTokenClassification(tokenizer)');
      expect(code('try', ner)).toContain('print(f"Entity {kind}: {joiner.join(entity_words)}")');
      expect(markdown('train', ner)).toContain(w.nerCell);

      fireEvent.change(task, { target: { value: 'qa' } });
      fireEvent.click(screen.getByTestId('model-advisor-insert-cells'));
      const qa = host.inserted[1];
      expect(code('load', qa)).toContain('AutoModelForQuestionAnswering.from_pretrained(');
      expect(code('train', qa)).toContain('return_offsets_mapping=True');
      expect(markdown('train', qa)).toContain(w.qaCell);
      expect(code('try', qa)).toContain('print("Answer:", answer)');
    });
  }
});

describe('in a notebook output (layout="output")', () => {
  it('puts the actions before the lists, folds the breakdown, and says first when the kernel is gone, keeping the plan', () => {
    const host = new RecordedHost({ kind: 'ready', report: T4 });
    const advisor = new AdvisorModel(host, 'en');
    const { container } = render(<div data-testid="out"><AdvisorPanel advisor={advisor} layout="output" /></div>);
    const bar = screen.getByTestId('model-advisor-insert-bar');
    const models = screen.getByTestId('model-advisor-models');
    expect(bar.compareDocumentPosition(models) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.getByTestId('model-advisor-breakdown').closest('details')).toBeTruthy();
    expect(screen.queryByTestId('model-advisor-kernel-gone')).toBeNull();

    (host as { kernelGone?: boolean }).kernelGone = true;
    act(() => host.changed.emit());
    const gone = screen.getByRole('alert');
    expect(gone.textContent).toBe('This panel has lost its kernel (it restarted or stopped): run this cell again for a live panel. Copy all and Download .ipynb still give the cells planned below.');
    expect(screen.getByTestId('out').firstElementChild).toBe(gone);
    expect((screen.getByRole('button', { name: 'Check again' }) as HTMLButtonElement).disabled).toBe(true);
    // The plan is still there to copy: the chosen model, its verdict, its cells.
    expect(verdict().textContent).toMatch(/^Fits/);
    expect(advisor.renderChosen().ok).toBe(true);
    expect(container.querySelectorAll('[role="status"]')).toHaveLength(1);
  });
});
