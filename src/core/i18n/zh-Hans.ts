/** 简体中文 */
import type { EN } from './en';

export const ZH_HANS: Partial<Record<keyof typeof EN, string>> = {
  'cells.title': '# 在 {gpu} 上微调 {model}（{method}）\n以下单元格由模型顾问按当前运行环境生成，请从上到下依次运行。',
  'cells.install': '## 安装依赖库\n只安装当前环境缺少或版本过旧的库，版本范围经过共同测试。',
  'cells.login': '## 登录 Hugging Face\n{model} 是受限模型：请先在模型页面接受许可协议，再用你自己的令牌登录。令牌不会保存在笔记本中。',
  'cells.source': '## 模型文件来源\n{source_line}',
  'cells.source.hf': '首次使用时从 Hugging Face 下载。',
  'cells.source.mirror': '通过镜像站 {mirror} 下载。',
  'cells.source.modelscope': '从魔搭社区（ModelScope）下载，再从本地文件夹加载。',
  'cells.source.local': '从本机文件夹 {path} 加载。',
  'cells.quantize': '## 压缩权重\n大的权重矩阵以 {bits} 位存储（bitsandbytes），计算精度为 {compute}。',
  'cells.load': '## 加载模型\n权重精度 {dtype}{device}。',
  'cells.load.gpu': '，放在 GPU 上',
  'cells.load.cpu': '，在 CPU 上',
  'cells.lora': '## 添加 LoRA 适配器\n秩 {r}，alpha {alpha}，作用于所有线性层；只训练适配器。',
  'cells.train': '## 训练\n批大小 {batch} × 梯度累积 {accum}，样本截断到 {seq} 个 token，优化器 {optim}，梯度检查点 {checkpointing}。此 GPU 的显存估算为 {estimate} MiB；训练结束后会打印实测峰值以便对比。',
  'cells.train.full': '## 训练全部权重\n批大小 {batch} × 梯度累积 {accum}，样本截断到 {seq} 个 token，优化器 {optim}，梯度检查点 {checkpointing}。此 GPU 的显存估算为 {estimate} MiB；训练结束后会打印实测峰值以便对比。',
  'cells.on': '开启',
  'cells.off': '关闭',
  'cells.try': '## 试一试\n向模型提问（修改提示词后可再次运行）。',
  'cells.try.classify': '## 试一试\n对一段文本分类（修改文本后可再次运行）。',
  'cells.save': '## 保存\n保存到 {dir}。{adapter}',
  'cells.save.adapter': '只保存 LoRA 适配器；单元格中说明了如何把它合并进基础模型。',
  'cells.warning': '**警告：** {text}',
  'warn.disk': "需要下载约 {need} GiB，但这里只有 {free} GiB 可用磁盘空间：请清理空间或换用更小的模型。",
  'warn.shard': "加载大约需要 {need} GiB 内存（最大的权重文件加上 Python 本身），超过了这里可用的 {free} GiB：加载时可能导致运行环境崩溃。",
  'warn.ram': "整个权重有 {need} GiB，超过了 {free} GiB 的可用内存，而且没有 GPU 可以存放。",
  'warn.fit': "显存估算表明它放不进这块 GPU（需要 {estimate} MiB）：很可能出现显存不足（OOM）错误。"
};
