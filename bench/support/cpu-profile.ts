import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ROOT } from './processes';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** The functions with the most self time in a .cpuprofile, and self time by package. */
export function summariseProfile(file: string, top = 15): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    startTime: number;
    endTime: number;
    samples: number[];
  };
  const total = profile.samples.length;
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const path = url.replace(/^file:\/\//, '');
    const where = path ? `${relative(ROOT, path)}:${lineNumber + 1}` : '';
    const name = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
    const pkg =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ??
      (path.includes('/dist/')
        ? `service: ${relative(ROOT, path).split('/').slice(2, 5).join('/')}`
        : path !== ''
          ? 'node internals'
          : functionName.startsWith('(')
            ? functionName
            : 'native (V8 builtins, C++ addons such as better-sqlite3)');
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + hits);
  }
  const idle = byFunction.get('(idle)') ?? 0;
  byFunction.delete('(idle)');
  byPackage.delete('(idle)');
  const busy = total - idle;
  // Shares of the time the process was busy: idle time is waiting (for the disk, the client).
  const percent = (hits: number) => `${((hits / busy) * 100).toFixed(1).padStart(5)} %`;
  const list = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, hits]) => `  ${percent(hits)}  ${name}`)
      .join('\n');
  return [
    `CPU profile of the service under POST load (${total} samples, ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s): ` +
      `idle ${((idle / total) * 100).toFixed(0)} % of the time; shares below are of the busy time`,
    'top self time by function:',
    list(byFunction, top),
    'self time by package / area:',
    list(byPackage, 12),
  ].join('\n');
}
