/**
 * @jest-environment jsdom
 */
import * as React from 'react';
import { render, screen } from '@testing-library/react';
import { estimateMemory, defaultSettings, findGpu, findModel } from '../../core';
import { MemoryBar } from '../MemoryBar';
import { breakdownRows } from '../rows';

describe('the memory bar', () => {
  const qwen = findModel('Qwen/Qwen2.5-7B-Instruct')!;
  const t4 = findGpu('t4');
  const estimate = estimateMemory(qwen, t4, defaultSettings(qwen, t4, 'qlora', { seqLen: 1024 }));

  it('is an image whose label reads the total, the free memory and every part', () => {
    render(<MemoryBar lang="en" verdict={estimate.verdict} totalMib={estimate.total_mib} availableMib={estimate.available_mib} rows={breakdownRows('en', estimate.breakdown)} />);
    const bar = screen.getByRole('img');
    const label = bar.getAttribute('aria-label')!;
    expect(label).toMatch(/^Fits: about \d+\.\d GiB estimated, 15\.0 GiB of GPU memory free\. Weights \d+\.\d GiB, /);
    for (const row of breakdownRows('en', estimate.breakdown)) expect(label).toContain(row.label);
    // One segment per term, and the free-memory line.
    expect(bar.querySelectorAll('.jp-ModelAdvisor-bar-segment')).toHaveLength(breakdownRows('en', estimate.breakdown).length);
    expect(bar.querySelector('.jp-ModelAdvisor-bar-free')).not.toBeNull();
  });

  it('reads in 繁體中文, and a card’s small bar reads its total alone', () => {
    render(<MemoryBar lang="zh-Hant" verdict="no" totalMib={20480} availableMib={15360} rows={[]} compact />);
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe('放不下：需要 20.0 GiB，可用 15.0 GiB');
  });

  it('draws the free line where the memory ends: past the bar when it does not fit', () => {
    render(<MemoryBar lang="en" verdict="no" totalMib={20480} availableMib={10240} rows={[]} compact />);
    const line = screen.getByRole('img').querySelector('.jp-ModelAdvisor-bar-free') as HTMLElement;
    const segment = screen.getByRole('img').querySelector('.jp-ModelAdvisor-bar-segment') as HTMLElement;
    expect(parseFloat(line.style.left)).toBeLessThan(parseFloat(segment.style.width));
  });
});
