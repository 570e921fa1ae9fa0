/**
 * No import cycles among the source files of any package, `import type` and
 * re-exports included: a cycle makes two rooms one. And the gateway's room
 * boundaries (room-boundaries.json, which the linter reads too) over the
 * resolved graph, where `import()`, `typeof import()` and unnormalised paths
 * cannot slip past a pattern.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const PACKAGES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PACKAGES = ['protocol', 'client', 'gateway', 'cli'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** `./a.js` from `src/b.ts` → `src/a.ts` (also `./a`, `./dir` → `./dir/index.ts`); undefined for a package or a missing file. */
function resolveRelative(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = resolve(dirname(from), specifier);
  const candidates = [target.replace(/\.js$/, '.ts'), `${target}.ts`, join(target, 'index.ts')];
  return candidates.find(isFile);
}

/** Every module specifier a file names: `import type`, `export … from` and `import()` count. */
function specifiersOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map(({ fileName }) => fileName);
}

/** Each file's relative imports, as files. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  return new Map(
    files.map((file) => {
      const targets = specifiersOf(file)
        .map((specifier) => resolveRelative(file, specifier))
        .filter((target): target is string => target !== undefined && known.has(target));
      return [file, [...new Set(targets)]];
    }),
  );
}

/** One cycle per strongly connected component (Tarjan): a path that ends where it starts, and the component's files. */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): { path: string[]; files: string[] }[] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];

  const visit = (node: string): void => {
    index.set(node, index.size);
    lowLink.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        lowLink.set(node, Math.min(lowLink.get(node)!, lowLink.get(next)!));
      } else if (onStack.has(next)) {
        lowLink.set(node, Math.min(lowLink.get(node)!, index.get(next)!));
      }
    }
    if (lowLink.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) components.push(component);
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);

  return components.map((component) => ({ path: shortestCycleThrough([...component].sort()[0]!, new Set(component), graph), files: [...component].sort() }));
}

/** Breadth first from `start` back to it, inside its component. */
function shortestCycleThrough(start: string, component: ReadonlySet<string>, graph: ReadonlyMap<string, readonly string[]>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const next of graph.get(node) ?? []) {
      if (!component.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let step = node; step !== start; step = cameFrom.get(step)!) path.splice(1, 0, step);
        return [...path, start];
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

describe('import cycles', () => {
  it('finds a cycle and names its path', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['e']],
      ['f', ['a']],
    ]);
    expect(importCycles(graph)).toEqual([
      { path: ['a', 'b', 'c', 'a'], files: ['a', 'b', 'c'] },
      { path: ['e', 'e'], files: ['e'] },
    ]);
  });

  it.each(PACKAGES)('packages/%s/src has none', (name) => {
    const files = sourceFiles(join(PACKAGES_DIR, name, 'src'));
    const named = (file: string) => relative(PACKAGES_DIR, file);
    const cycles = importCycles(importGraph(files)).map(({ path, files: knot }) => {
      const cycle = path.map(named).join(' → ');
      return knot.length > path.length - 1 ? `${cycle} (within the knot ${knot.map(named).join(', ')})` : cycle;
    });
    expect(cycles).toEqual([]);
  });
});

type RoomRules = Record<string, { rooms: string[]; packages?: string[] }>;
const GATEWAY_SRC = join(PACKAGES_DIR, 'gateway', 'src');
const ROOM_RULES = JSON.parse(readFileSync(join(PACKAGES_DIR, 'gateway', 'room-boundaries.json'), 'utf8')) as RoomRules;

/** `products/payments/x.ts` → `products`; a root file → its name (`gateway`, `schema`). */
function roomOf(file: string): string {
  const parts = relative(GATEWAY_SRC, file).split(sep);
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.ts$/, '');
}

/** Imports that cross a room's boundary, as `file → target`. */
function boundaryCrossings(files: readonly string[], rules: RoomRules): string[] {
  const graph = importGraph(files);
  const named = (file: string) => relative(PACKAGES_DIR, file);
  return files.flatMap((file) => {
    const rule = rules[roomOf(file)];
    if (!rule) return [];
    const intoRooms = (graph.get(file) ?? []).filter((target) => rule.rooms.includes(roomOf(target))).map((target) => `${named(file)} → ${named(target)}`);
    const intoPackages = specifiersOf(file)
      .filter((specifier) => (rule.packages ?? []).some((name) => specifier === name || specifier.startsWith(`${name}/`)))
      .map((specifier) => `${named(file)} → ${specifier}`);
    return [...intoRooms, ...intoPackages];
  });
}

describe('gateway room boundaries', () => {
  it('are declared for every room that exists', () => {
    const rooms = readdirSync(GATEWAY_SRC, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(rooms.filter((room) => !Object.prototype.hasOwnProperty.call(ROOM_RULES, room))).toEqual([]);
  });

  it('catch a crossing however it is written (dynamic import, unnormalised path)', () => {
    const probe = join(GATEWAY_SRC, 'products', 'payments', 'payment-service.ts');
    const crossings = [
      "export const load = () => import('../../sandbox/triggers.js');",
      "export type T = typeof import('../../../src/admin/control-routes.js');",
      "import fastify from 'fastify'; export default fastify;",
    ].map((source) => {
      const { importedFiles } = ts.preProcessFile(source, true, true);
      const specifier = importedFiles[0]!.fileName;
      const target = resolveRelative(probe, specifier);
      const rule = ROOM_RULES.products!;
      return target !== undefined ? rule.rooms.includes(roomOf(target)) : (rule.packages ?? []).includes(specifier);
    });
    expect(crossings).toEqual([true, true, true]);
  });

  it('hold in packages/gateway/src', () => {
    expect(boundaryCrossings(sourceFiles(GATEWAY_SRC), ROOM_RULES)).toEqual([]);
  });
});
