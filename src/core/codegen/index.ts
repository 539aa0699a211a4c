export { pythonLiteral, pythonCode } from './literal';
export type { PythonValue, PythonCode } from './literal';
export { renderSnippet } from './render';
export { SNIPPETS } from './snippets.generated';
