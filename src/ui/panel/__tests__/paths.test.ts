import * as fc from 'fast-check';
import { folderOf, localModelId, modelPathFor, relativePath } from '../paths';
import { idProblem } from '../../../core/catalog';

describe('where a model folder is, seen from the notebook the cells go into', () => {
  it('a folder beside the notebook is its bare name: the kernel starts in the notebook’s folder', () => {
    expect(modelPathFor('course/mymodel', 'course/train.ipynb')).toBe('mymodel');
  });

  it('a folder elsewhere on the server goes up first', () => {
    expect(modelPathFor('models/qwen', 'course/week1/train.ipynb')).toBe('../../models/qwen');
    expect(modelPathFor('course', 'course/week1/train.ipynb')).toBe('..');
  });

  it('the notebook’s own folder is "."', () => {
    expect(modelPathFor('course', 'course/train.ipynb')).toBe('.');
    expect(modelPathFor('', 'train.ipynb')).toBe('.');
  });

  it('with no notebook open, the path from the server’s root', () => {
    expect(modelPathFor('course/mymodel', null)).toBe('course/mymodel');
    expect(modelPathFor('', null)).toBe('.');
  });

  it('the folder of a file at the root is the root; stray slashes change nothing', () => {
    expect(folderOf('config.json')).toBe('');
    expect(folderOf('course/mymodel/config.json')).toBe('course/mymodel');
    expect(folderOf('/course//mymodel/config.json')).toBe('course/mymodel');
  });

  it('the sidebar lists it under a local path the catalog accepts, never a hub-like "owner/name"', () => {
    expect(localModelId('mymodel')).toBe('./mymodel');
    expect(localModelId('course/mymodel')).toBe('./course/mymodel');
    expect(localModelId('../models/qwen')).toBe('../models/qwen');
    expect(localModelId('.')).toBe('./');
    for (const p of ['mymodel', 'course/mymodel', '../models/qwen', '.']) expect(idProblem(localModelId(p))).toBeNull();
  });

  it('going from A to B and back lands where it started, for any two server folders', () => {
    const segment = fc.constantFrom('a', 'b', 'models', 'my model', '模型');
    const folder = fc.array(segment, { maxLength: 4 }).map(s => s.join('/'));
    fc.assert(
      fc.property(folder, folder, (from, to) => {
        const rel = relativePath(from, to);
        // Resolve `rel` against `from` by hand: ".." drops a segment, anything else adds one.
        const parts = from === '' ? [] : from.split('/');
        for (const s of rel.split('/')) {
          if (s === '..') parts.pop();
          else if (s !== '.') parts.push(s);
        }
        expect(parts.join('/')).toBe(to);
      })
    );
  });
});
