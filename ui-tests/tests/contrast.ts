import type { IJupyterLabPageFixture } from '@jupyterlab/galata';

/** WCAG contrast of every piece of text under `root` (the sidebar by default) against the background it is drawn on: under 4.5:1 is listed. */
export async function lowContrast(page: IJupyterLabPageFixture, root = '#jp-model-advisor'): Promise<string[]> {
  return page.evaluate(selector => {
    const rgba = (c: string) => (c.match(/[\d.]+/g) ?? ['0', '0', '0', '0']).map(Number).concat(1).slice(0, 4);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el: Element | null): number[] => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c[3] > 0.5) return c;
      }
      return [255, 255, 255, 1];
    };
    const bad: string[] = [];
    const root = document.querySelector(selector)!;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement!;
      if (!(node.textContent ?? '').trim() || el.closest('option, [disabled], [aria-hidden="true"], details:not([open]) > ul')) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const style = getComputedStyle(el);
      const bg = background(el);
      const fg = rgba(style.color);
      // A translucent colour is drawn over the background.
      const drawn = fg.slice(0, 3).map((v, i) => v * fg[3] * Number(style.opacity) + bg[i] * (1 - fg[3] * Number(style.opacity)));
      const [hi, lo] = [lum(drawn), lum(bg)].sort((a, b) => b - a);
      const ratio = (hi + 0.05) / (lo + 0.05);
      if (ratio < 4.5) bad.push(`${ratio.toFixed(2)} «${node.textContent!.trim().slice(0, 40)}» ${style.color} on rgb(${bg.slice(0, 3).join(',')})`);
    }
    return bad;
  }, root);
}
