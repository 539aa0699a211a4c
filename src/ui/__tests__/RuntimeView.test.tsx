/**
 * @jest-environment jsdom
 */
import * as React from 'react';
import { render, screen } from '@testing-library/react';
import { RuntimeView } from '../RuntimeView';
import { BROKEN_DRIVER, BUSY_T4, CPU_ONLY, T4 } from './reports';

const show = (report: typeof T4, lang: 'en' | 'zh-Hant' = 'en') => render(<RuntimeView lang={lang} state={{ kind: 'ready', report }} onRefresh={() => undefined} />);

describe('the runtime, as the panel says it', () => {
  it('a fresh T4: its name, its free memory, the platform in words, nothing in use', () => {
    show(T4);
    expect(screen.getByTestId('model-advisor-gpu').textContent).toBe('Tesla T4 · 15.0 GiB');
    expect(screen.getByText('GPU memory 14.7 GiB free')).toBeTruthy();
    expect(screen.getByText('Platform: Google Colab')).toBeTruthy();
    expect(screen.queryByTestId('model-advisor-busy')).toBeNull();
  });

  it('a busy T4: how much is in use, and that restarting the kernel frees it', () => {
    show(BUSY_T4);
    expect(screen.getByTestId('model-advisor-busy').textContent).toBe(
      '10.2 GiB of GPU memory is already in use — probably a model loaded in this kernel; restarting the kernel frees it.'
    );
  });

  it('no GPU, in 繁體中文: system memory named as such, the platform translated, no error shown', () => {
    show(CPU_ONLY, 'zh-Hant');
    expect(screen.getByTestId('model-advisor-gpu').textContent).toBe('此執行環境沒有 NVIDIA GPU');
    expect(screen.getByText('平臺：這臺電腦或伺服器')).toBeTruthy();
    expect(screen.getByText('系統記憶體可用 11.7 GiB，共 15.6 GiB')).toBeTruthy();
    expect(screen.queryByTestId('model-advisor-probe-error')).toBeNull();
  });

  it('a broken driver does not read as "no GPU": the probe’s error is shown', () => {
    show(BROKEN_DRIVER);
    expect(screen.getByTestId('model-advisor-gpu').textContent).toBe('The NVIDIA driver did not answer: a GPU may be here but cannot be used');
    expect(screen.getByTestId('model-advisor-probe-error').textContent).toMatch(/^nvidia-smi: nvidia-smi failed \(exit code 9\)/);
  });

  it('waiting and failing are states of their own', () => {
    render(<RuntimeView lang="en" state={{ kind: 'probing', busy: true }} onRefresh={() => undefined} />);
    expect(screen.getByText('The kernel is busy running your code; the advisor will ask when it is free.')).toBeTruthy();
    render(<RuntimeView lang="en" state={{ kind: 'error', message: 'the kernel died' }} onRefresh={() => undefined} />);
    expect(screen.getByText('Could not read the runtime: the kernel died')).toBeTruthy();
  });
});
