/** `fit` and `cells` for the guide's NER and QA (issue 18 items 12, 13), as a learner types them. */
import { main } from '../../cli';

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, s => (out += s), s => (err += s));
  return { code, out, err };
}

const mib = (out: string, term: string) => Number(new RegExp(`^  ${term}\\s+([\\d,]+) MiB`, 'm').exec(out)![1].replace(/,/g, ''));

describe('--task ner and --task qa', () => {
  it('fit prices an encoder with the head the cells load: 7 tags per token, not a 21,128-word vocabulary', async () => {
    const common = ['bert-base-chinese', '--gpu', 't4', '--method', 'lora', '--seq-len', '512', '--batch', '8'];
    const pretraining = await run(['fit', ...common]);
    const ner = await run(['fit', ...common, '--task', 'ner']);
    expect(ner.code).toBe(0);
    expect(ner.out).toMatch(/^bert-base-chinese \(101,682,439 parameters\)/);
    expect(mib(pretraining.out, 'logits')).toBe(991);
    expect(mib(ner.out, 'logits')).toBe(1);
    expect(mib(ner.out, 'total')).toBeLessThan(mib(pretraining.out, 'total') - 990);
  });
  it('cells writes NER and QA training cells (they were refused)', async () => {
    for (const task of ['ner', 'qa']) {
      const { code, out, err } = await run(['cells', 'bert-base-chinese', '--gpu', 't4', '--method', 'lora', '--task', task]);
      expect(err).toBe('');
      expect(code).toBe(0);
      expect(out).toContain(task === 'ner' ? 'trainer = Trainer(' : 'return_offsets_mapping=True');
    }
  });
});
