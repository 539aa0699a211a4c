/**
 * Two copies of the bundle on one page (two widget outputs: anywidget evaluates each view's
 * module anew; or the sidebar's extension bundle beside a widget) must still give their panels
 * prefixes of their own: the count is the page's, not a module's.
 */
describe('panel prefixes', () => {
  it('differ across two copies of the module, as across two panels of one', () => {
    let first: typeof import('../ids') | undefined;
    let second: typeof import('../ids') | undefined;
    jest.isolateModules(() => {
      first = require('../ids');
    });
    jest.isolateModules(() => {
      second = require('../ids');
    });
    expect(first).not.toBe(second);
    const prefixes = [first!.newPanelPrefix(), second!.newPanelPrefix(), first!.newPanelPrefix()];
    expect(new Set(prefixes).size).toBe(3);
    for (const p of prefixes) expect(p).toMatch(/^jp-ModelAdvisor-p\d+$/);
  });
});
