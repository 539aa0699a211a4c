/**
 * A template's holes are types (scripts/gen-snippets.mjs emits SnippetHoles from
 * python_snippets/): a call that names a placeholder or a flag its template lacks does not
 * compile. ts-jest type-checks this file, so each `@ts-expect-error` below fails the suite the
 * day the check stops holding.
 */
import { renderSnippet } from '../render';
import { SNIPPETS } from '../snippets.generated';
import type { SnippetHoles } from '../snippets.generated';

describe('the typed holes of the templates', () => {
  it('know every template and each one’s placeholders', () => {
    const holes: Record<keyof SnippetHoles, true> = Object.fromEntries(Object.keys(SNIPPETS).map(k => [k, true])) as Record<keyof SnippetHoles, true>;
    expect(Object.keys(holes).sort()).toEqual(Object.keys(SNIPPETS).sort());
    expect(renderSnippet('lora', { LORA_R: 8, LORA_ALPHA: 16, TASK_TYPE: 'CAUSAL_LM' }, { QUANTIZE: false, CHECKPOINTING: true, HEAD_MODULES: false })).toContain('r=8');
  });

  it('refuse a placeholder or a flag the template does not have, at compile time and at run time', () => {
    // @ts-expect-error LORA_RANK is not a placeholder of lora.py (LORA_R is)
    expect(() => renderSnippet('lora', { LORA_RANK: 8 }, { QUANTIZE: false, CHECKPOINTING: true })).toThrow(/no placeholder for LORA_RANK/);
    // @ts-expect-error QUANTISE is not a block flag of lora.py
    expect(() => renderSnippet('lora', { LORA_R: 8, LORA_ALPHA: 16, TASK_TYPE: 'CAUSAL_LM' }, { QUANTISE: false, CHECKPOINTING: true })).toThrow(/no value for block flag QUANTIZE/);
    // @ts-expect-error no template is named loras
    expect(() => renderSnippet('loras', {})).toThrow(/no snippet named loras/);
  });
});
