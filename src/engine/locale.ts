/**
 * The core writes numbers with `toLocaleString('en-US')` ("7,615,616,512"). QuickJS has no Intl
 * and answers "7615616512"; so that check() prints what the CLI prints, the engine bundle gives
 * such an engine the en-US grouping of whole numbers (the only form the core uses).
 */
export function groupThousands(): void {
  if ((1234).toLocaleString('en-US') === '1,234') return;
  const plain = Number.prototype.toLocaleString;
  Number.prototype.toLocaleString = function (this: number, ...args: unknown[]): string {
    const x = Number(this);
    if (!Number.isInteger(x) || !Number.isFinite(x)) return plain.apply(x, args as []);
    const digits = Math.abs(x).toString();
    if (digits.includes('e')) return plain.apply(x, args as []);
    return (x < 0 ? '-' : '') + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  };
}
