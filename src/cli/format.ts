/** How the commands print numbers and tables. */
export const n = (x: number): string => x.toLocaleString('en-US');
export const gib = (mib: number): string => (mib / 1024).toFixed(1) + ' GiB';

/** Columns padded to their widest cell; the last column is not padded. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map(r => (r[i] ?? '').length)));
  return rows.map(r => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n') + '\n';
}
