/**
 * The one way a value becomes Python source. Every value the cells carry — a model id, a
 * path, a prompt — passes through `pythonLiteral`, so no input can close a string early
 * and smuggle in a statement.
 */

/** A Python expression that names no value of the user's: a dtype, a class. Only from our own code. */
export interface PythonCode {
  readonly __python: string;
}

/** Mark source we wrote ourselves (never user input) to be inserted verbatim. */
export function pythonCode(source: string): PythonCode {
  return { __python: source };
}

export type PythonValue = string | number | boolean | null | PythonCode | PythonValue[] | { [key: string]: PythonValue };

function isPythonCode(v: unknown): v is PythonCode {
  return typeof v === 'object' && v !== null && '__python' in v;
}

/**
 * A Python string literal for any JS string: double-quoted, with backslash, quote,
 * every control character, and lone surrogates escaped. Non-ASCII letters (中文) are kept
 * as they are, since a learner should be able to read their own prompt in the cell.
 */
function stringLiteral(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) out += '\\x' + code.toString(16).padStart(2, '0');
    // Line and paragraph separators and other format characters are escaped so the
    // cell shows exactly what is in the string.
    else if (code === 0x2028 || code === 0x2029 || code === 0x85 || code === 0xfeff) out += '\\u' + code.toString(16).padStart(4, '0');
    else if (code >= 0xd800 && code <= 0xdfff) out += '\\u' + code.toString(16).padStart(4, '0'); // lone surrogate
    else out += ch;
  }
  return out + '"';
}

/** Turn a value into a Python literal. Throws on values Python cannot hold literally (NaN, ∞). */
export function pythonLiteral(value: PythonValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as a Python literal`);
    return Number.isInteger(value) ? String(value) : String(value);
  }
  if (typeof value === 'string') return stringLiteral(value);
  if (isPythonCode(value)) return value.__python;
  if (Array.isArray(value)) return '[' + value.map(pythonLiteral).join(', ') + ']';
  return '{' + Object.entries(value).map(([k, v]) => `${stringLiteral(k)}: ${pythonLiteral(v)}`).join(', ') + '}';
}

/**
 * A whole text file (a script the notebook writes to disk) as one readable Python string:
 * a triple-quoted literal whose lines appear in the cell as they will in the file. Backslashes
 * are doubled, a quote next to the delimiter or in a run of three is escaped, and control
 * characters other than newline and tab are escaped as in `pythonLiteral`'s strings.
 */
export function pythonTextBlock(text: string): PythonCode {
  let body = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') body += '\\\\';
    else if (ch === '\n' || ch === '\t') body += ch;
    else if (ch === '\r') body += '\\r';
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) body += '\\x' + code.toString(16).padStart(2, '0');
    else if (code === 0x2028 || code === 0x2029 || code === 0x85 || code === 0xfeff || (code >= 0xd800 && code <= 0xdfff)) body += '\\u' + code.toString(16).padStart(4, '0');
    else body += ch;
  }
  // No run of three quotes may close the literal early, nor a quote just before the end.
  body = body.replace(/"(?=")/g, '\\"').replace(/"$/, '\\"');
  return pythonCode('"""\\\n' + body + '"""');
}
