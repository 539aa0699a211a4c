import { SNIPPETS } from './snippets.generated';
import { pythonLiteral, PythonValue } from './literal';

/** Placeholders in python_snippets/ are identifiers such as __MODEL_ID__. */
const PLACEHOLDER = /\b__([A-Z][A-Z0-9_]*)__\b/g;

/**
 * Fill one snippet: each placeholder becomes the Python literal of its value.
 * A placeholder with no value, or a value with no placeholder, is a bug in our code: throw.
 */
export function renderSnippet(name: string, values: Record<string, PythonValue>): string {
  const template = SNIPPETS[name];
  if (template === undefined) throw new Error(`no snippet named ${name}`);
  const used = new Set<string>();
  const text = template.replace(PLACEHOLDER, (whole, key: string) => {
    if (!(key in values)) throw new Error(`snippet ${name}: no value for ${whole}`);
    used.add(key);
    return pythonLiteral(values[key]);
  });
  const unused = Object.keys(values).filter(k => !used.has(k));
  if (unused.length) throw new Error(`snippet ${name}: unused values ${unused.join(', ')}`);
  return text;
}
