/** POSIX `node:path`, as much as the command line uses, for the engine bundle (paths are "/"-separated there). */
function normalize(parts: string[]): string[] {
  const kept: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') kept.pop();
    else kept.push(p);
  }
  return kept;
}

export function resolve(...paths: string[]): string {
  let parts: string[] = [];
  for (const p of paths) parts = p.startsWith('/') ? p.split('/') : [...parts, ...p.split('/')];
  return '/' + normalize(parts).join('/');
}

export function join(...paths: string[]): string {
  const joined = paths.filter(p => p !== '').join('/');
  const absolute = joined.startsWith('/');
  const body = normalize(joined.split('/')).join('/');
  return (absolute ? '/' : '') + (body || (absolute ? '' : '.'));
}

export function dirname(path: string): string {
  const parts = path.split('/');
  parts.pop();
  const d = parts.join('/');
  return d === '' ? (path.startsWith('/') ? '/' : '.') : d;
}

export function basename(path: string): string {
  return path.split('/').filter(p => p !== '').pop() ?? '';
}
