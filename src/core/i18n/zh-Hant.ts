/** 繁體中文 */
import type { EN } from './en';

export const ZH_HANT: Partial<Record<keyof typeof EN, string>> = {
  'cells.title': '# 在 {gpu} 上微調 {model}（{method}）\n以下儲存格由模型顧問依目前執行環境產生，請由上而下依序執行。',
  'cells.install': '## 安裝相依套件\n只安裝目前環境缺少或版本過舊的套件，版本範圍經過共同測試。',
  'cells.login': '## 登入 Hugging Face\n{model} 是受限模型：請先在模型頁面接受授權條款，再用你自己的權杖登入。權杖不會儲存在筆記本中。',
  'cells.source': '## 模型檔案來源\n{source_line}',
  'cells.source.hf': '首次使用時從 Hugging Face 下載。',
  'cells.source.mirror': '透過鏡像站 {mirror} 下載。',
  'cells.source.modelscope': '從魔搭社群（ModelScope）下載，再從本機資料夾載入。',
  'cells.source.local': '從本機資料夾 {path} 載入。',
  'cells.quantize': '## 壓縮權重\n大型權重矩陣以 {bits} 位元儲存（bitsandbytes），運算精度為 {compute}。',
  'cells.load': '## 載入模型\n權重精度 {dtype}{device}。',
  'cells.load.gpu': '，放在 GPU 上',
  'cells.load.cpu': '，在 CPU 上',
  'cells.lora': '## 加入 LoRA 轉接器\n秩 {r}，alpha {alpha}，作用於所有線性層；只訓練轉接器。',
  'cells.train': '## 訓練\n批次大小 {batch} × 梯度累積 {accum}，樣本截斷至 {seq} 個 token，最佳化器 {optim}，梯度檢查點 {checkpointing}。此 GPU 的記憶體估算為 {estimate} MiB；訓練結束後會列印實測峰值以便比較。',
  'cells.train.full': '## 訓練全部權重\n批次大小 {batch} × 梯度累積 {accum}，樣本截斷至 {seq} 個 token，最佳化器 {optim}，梯度檢查點 {checkpointing}。此 GPU 的記憶體估算為 {estimate} MiB；訓練結束後會列印實測峰值以便比較。',
  'cells.on': '開啟',
  'cells.off': '關閉',
  'cells.try': '## 試試看\n向模型提問（修改提示詞後可再次執行）。',
  'cells.try.classify': '## 試試看\n為一段文字分類（修改文字後可再次執行）。',
  'cells.save': '## 儲存\n儲存到 {dir}。{adapter}',
  'cells.save.adapter': '只儲存 LoRA 轉接器；儲存格中說明了如何將它合併進基礎模型。',
  'cells.warning': '**警告：** {text}',
  'warn.disk': "需要下載約 {need} GiB，但這裡只有 {free} GiB 可用磁碟空間：請清出空間或改用較小的模型。",
  'warn.shard': "載入大約需要 {need} GiB 記憶體（最大的權重檔案加上 Python 本身），超過了這裡可用的 {free} GiB：載入時可能導致執行環境當機。",
  'warn.ram': "整個權重有 {need} GiB，超過了 {free} GiB 的可用記憶體，而且沒有 GPU 可以存放。",
  'warn.fit': "記憶體估算顯示它放不進這張 GPU（需要 {estimate} MiB）：很可能出現記憶體不足（OOM）錯誤。"
};
