/**
 * How long a free notebook session lasts, as Colab and Kaggle publish it, and a warning when
 * the planned run (or one pass over the user's data) would outlast it. Checked 2026-12-02 in
 * stored copies that quote the two pages (the live pages cannot be reached from here); both
 * services say the limits "may vary", so the warning says "about" and points at what the cells
 * already do about it (a checkpoint every `save_steps`, `max_steps`).
 */
import { formatDuration, Language, MessageKey, t } from '../i18n';
import { GpuProfile } from '../types';

export type Platform = 'colab' | 'kaggle';

export interface SessionLimit {
  platform: Platform;
  /** The longest a session runs, in seconds. */
  session_seconds: number;
  /** GPU hours a week, where the service publishes a quota. */
  weekly_gpu_hours: number | null;
  source: string;
  url: string;
  checked: string;
}

export const SESSION_LIMITS: Readonly<Record<Platform, SessionLimit>> = {
  colab: {
    platform: 'colab',
    session_seconds: 12 * 3600,
    weekly_gpu_hours: null,
    source: 'Colab FAQ: "Notebooks run by connecting to virtual machines that have maximum lifetimes that can be as much as 12 hours. Notebooks will also disconnect from VMs when left idle for too long." (free tier; paid plans run longer)',
    url: 'https://research.google.com/colaboratory/faq.html',
    checked: '2026-12-02'
  },
  kaggle: {
    platform: 'kaggle',
    session_seconds: 12 * 3600,
    weekly_gpu_hours: 30,
    source: 'Kaggle Notebooks documentation, technical specifications: 12 hours of execution time per CPU/GPU session; GPU time is a weekly quota of about 30 hours ("floating" quotas, kaggle.com/product-feedback/173129)',
    url: 'https://www.kaggle.com/docs/notebooks',
    checked: '2026-12-02'
  }
};

/**
 * The service a runtime belongs to: what the probe saw, else what the profile is named after
 * (`kaggle-2xt4`, `kaggle-p100`; the T4, L4 and A100-40GB profiles are Colab's runtimes).
 */
export function platformOf(gpu: GpuProfile, reported?: string | null): Platform | null {
  if (reported === 'colab' || reported === 'kaggle') return reported;
  if (reported === 'local') return null;
  if (gpu.id.startsWith('kaggle-')) return 'kaggle';
  if (gpu.id === 't4' || gpu.id === 'l4' || gpu.id === 'a100-40gb') return 'colab';
  return null;
}

/** A warning in the shape of the estimate's advice: a code to translate, its values (and its duration), the English text. */
export interface SessionWarning {
  code: 'session_run' | 'session_epoch' | 'session_quota';
  values: Record<string, string | number>;
  /** The duration the warning is about, in seconds (its `time`, for other languages to write). */
  seconds: number;
  text: string;
}

/** The warning in the interface's language. */
export function sessionWarningText(lang: Language, w: SessionWarning): string {
  const count = (v: string | number) => (typeof v === 'number' ? v.toLocaleString('en-US') : v);
  const values = Object.fromEntries(Object.entries(w.values).map(([k, v]) => [k, count(v)]));
  return t(lang, `speed.${w.code}` as MessageKey, { ...values, time: formatDuration(lang, w.seconds) });
}

/**
 * Warnings for a run of `runSeconds` (the planned steps) and, when the data is known, one
 * epoch of `epochSeconds`, on `platform`. None when it fits in a session.
 */
export function sessionWarnings(platform: Platform | null, runSeconds: number, epochSeconds: number | null, steps: number, secondsPerStep: number): SessionWarning[] {
  if (platform === null) return [];
  const limit = SESSION_LIMITS[platform];
  const name = platform === 'colab' ? 'Colab' : 'Kaggle';
  const hours = limit.session_seconds / 3600;
  // The steps one session holds, leaving a tenth for loading, evaluation and saving.
  const fit = Math.max(1, Math.floor((0.9 * limit.session_seconds) / secondsPerStep));
  const out: SessionWarning[] = [];
  const warn = (code: SessionWarning['code'], values: Record<string, string | number>, seconds: number) => {
    const w = { code, values, seconds, text: '' };
    out.push({ ...w, text: sessionWarningText('en', w) });
  };
  if (runSeconds > 0.9 * limit.session_seconds) warn('session_run', { platform: name, hours, steps, fit }, runSeconds);
  if (epochSeconds !== null && epochSeconds > 0.9 * limit.session_seconds) warn('session_epoch', { platform: name, hours, fit }, epochSeconds);
  const longest = Math.max(runSeconds, epochSeconds ?? 0);
  if (limit.weekly_gpu_hours !== null && longest > limit.weekly_gpu_hours * 3600) warn('session_quota', { platform: name, quota: limit.weekly_gpu_hours }, longest);
  return out;
}
