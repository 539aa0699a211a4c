/**
 * The sidebar's words in English, 简体中文 and 繁體中文. A key missing from a Chinese table
 * falls back to English, so a new message never shows as a raw key.
 */
export type UiLanguage = 'en' | 'zh-Hans' | 'zh-Hant';

const EN = {
  title: 'Model Advisor',
  runtime: 'This runtime',
  refresh: 'Check again',
  noNotebook: 'Open a notebook to see its runtime’s GPU.',
  noKernel: 'This notebook has no kernel. Select a Python kernel to see its GPU.',
  notPython: 'The advisor needs a Python kernel; this notebook runs {language}.',
  probing: 'Asking the kernel about its GPU…',
  waiting: 'The kernel is busy running your code; the advisor will ask when it is free.',
  probeFailed: 'Could not read the runtime: {message}',
  noGpu: 'No NVIDIA GPU in this runtime',
  appleGpu: 'Apple GPU (MPS), memory shared with the system',
  gpuLine: '{name} · {memory}',
  gpuCount: '{count} × {name} · {memory} each',
  freeMemory: '{free} free',
  platform: 'Platform: {platform}',
  ram: 'RAM {available} free of {total}',
  disk: 'Disk {free} free',
  model: 'Model',
  method: 'Method',
  seqLen: 'Sequence length',
  insertLoading: 'Insert loading cell',
  insertCells: 'Insert cells',
  inserted: 'Inserted {count} cell(s) below the active cell.',
  insertFailed: 'Nothing was inserted: {message}',
  runtimeUnknown: 'the runtime is not known yet; wait for the GPU check above.',
  verdict_fits: 'Fits: {total} of {available}',
  verdict_tight: 'Tight: {total} of {available}',
  verdict_no: 'Does not fit: {total} needed, {available} available',
  method_inference: 'Inference',
  method_full: 'Full fine-tuning',
  method_lora: 'LoRA',
  method_qlora: 'QLoRA (4-bit)'
};

export type MessageKey = keyof typeof EN;

const ZH_HANS: Partial<Record<MessageKey, string>> = {
  title: '模型顾问',
  runtime: '当前运行环境',
  refresh: '重新检测',
  noNotebook: '请打开一个笔记本，以查看其运行环境的 GPU。',
  noKernel: '此笔记本没有内核。请选择 Python 内核以查看 GPU。',
  notPython: '模型顾问需要 Python 内核；此笔记本使用的是 {language}。',
  probing: '正在询问内核的 GPU 信息…',
  waiting: '内核正在运行你的代码；空闲后顾问会再询问。',
  probeFailed: '无法读取运行环境：{message}',
  noGpu: '此运行环境没有 NVIDIA GPU',
  appleGpu: 'Apple GPU（MPS），与系统共享内存',
  gpuLine: '{name} · {memory}',
  gpuCount: '{count} × {name} · 每块 {memory}',
  freeMemory: '可用 {free}',
  platform: '平台：{platform}',
  ram: '内存可用 {available}，共 {total}',
  disk: '磁盘可用 {free}',
  model: '模型',
  method: '方法',
  seqLen: '序列长度',
  insertLoading: '插入加载单元格',
  insertCells: '插入单元格',
  inserted: '已在当前单元格下方插入 {count} 个单元格。',
  insertFailed: '未插入任何内容：{message}',
  runtimeUnknown: '尚未获取运行环境信息，请等待上方的 GPU 检测完成。',
  verdict_fits: '放得下：需要 {total}，可用 {available}',
  verdict_tight: '勉强：需要 {total}，可用 {available}',
  verdict_no: '放不下：需要 {total}，可用 {available}',
  method_inference: '推理',
  method_full: '全参数微调',
  method_lora: 'LoRA',
  method_qlora: 'QLoRA（4 位）'
};

const ZH_HANT: Partial<Record<MessageKey, string>> = {
  title: '模型顧問',
  runtime: '目前執行環境',
  refresh: '重新偵測',
  noNotebook: '請開啟一個筆記本，以查看其執行環境的 GPU。',
  noKernel: '此筆記本沒有核心。請選擇 Python 核心以查看 GPU。',
  notPython: '模型顧問需要 Python 核心；此筆記本使用的是 {language}。',
  probing: '正在詢問核心的 GPU 資訊…',
  waiting: '核心正在執行你的程式碼；空閒後顧問會再詢問。',
  probeFailed: '無法讀取執行環境：{message}',
  noGpu: '此執行環境沒有 NVIDIA GPU',
  appleGpu: 'Apple GPU（MPS），與系統共用記憶體',
  gpuLine: '{name} · {memory}',
  gpuCount: '{count} × {name} · 每張 {memory}',
  freeMemory: '可用 {free}',
  platform: '平台：{platform}',
  ram: '記憶體可用 {available}，共 {total}',
  disk: '磁碟可用 {free}',
  model: '模型',
  method: '方法',
  seqLen: '序列長度',
  insertLoading: '插入載入儲存格',
  insertCells: '插入儲存格',
  inserted: '已在目前儲存格下方插入 {count} 個儲存格。',
  insertFailed: '未插入任何內容：{message}',
  runtimeUnknown: '尚未取得執行環境資訊，請等待上方的 GPU 偵測完成。',
  verdict_fits: '放得下：需要 {total}，可用 {available}',
  verdict_tight: '勉強：需要 {total}，可用 {available}',
  verdict_no: '放不下：需要 {total}，可用 {available}',
  method_inference: '推論',
  method_full: '全參數微調',
  method_lora: 'LoRA',
  method_qlora: 'QLoRA（4 位元）'
};

const TABLES: Record<UiLanguage, Partial<Record<MessageKey, string>>> = { en: EN, 'zh-Hans': ZH_HANS, 'zh-Hant': ZH_HANT };

/** A message in the user's language, with `{name}` filled from `values`. */
export function message(lang: UiLanguage, key: MessageKey, values: Record<string, string | number> = {}): string {
  const text = TABLES[lang][key] ?? EN[key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/**
 * JupyterLab's language code ("zh_CN", "zh-TW", "en_US") → ours. Traditional script for
 * Taiwan, Hong Kong and Macau; simplified for the rest of Chinese.
 */
export function uiLanguageFor(code: string | undefined): UiLanguage {
  const c = (code ?? '').toLowerCase().replace('_', '-');
  if (!c.startsWith('zh')) return 'en';
  return /hant|tw|hk|mo/.test(c) ? 'zh-Hant' : 'zh-Hans';
}

/** MiB → "15.0 GiB" (or "512 MiB"), as the sidebar and the CLI show memory. */
export function formatMiB(mib: number): string {
  return mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${Math.round(mib)} MiB`;
}
