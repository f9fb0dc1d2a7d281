import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Stack traces in the TypeScript the code was written in, worked out only when a stack is read.
 * The functions are bundled and minified, with a source map beside each file
 * (`infra/constructs/redress-function.ts`). Node's `--enable-source-maps` maps every stack, but it
 * reads and parses the map of every file as the file loads: about 20 ms of the API's cold start,
 * paid by every cold start for the rare invocation that logs an error. Here a file's map is read
 * the first time a stack passes through it, with Node's own `SourceMap`, through V8's
 * `Error.prepareStackTrace` hook, so every stack is mapped: those our logger writes and those the
 * Lambda runtime writes for an error a handler throws. Written by hand: the libraries that do
 * this lazily (`source-map-support` and its forks) have had no release since 2022, and this is a
 * few lines over Node's API.
 */

/** Each bundled file's map, read once (`null`: it has none, or it could not be read). */
const maps = new Map<string, SourceMap | null>();

function mapOf(file: string): SourceMap | null {
  let map = maps.get(file);
  if (map !== undefined) return map;
  try {
    const path = file.startsWith('file://') ? fileURLToPath(file) : file;
    map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')));
  } catch {
    // No map beside it (a file not bundled by us): its frames stay as they are.
    map = null;
  }
  maps.set(file, map);
  return map;
}

/** A frame as V8 writes it, with its place in a bundled file given as its place in the source. */
function mappedFrame(site: NodeJS.CallSite): string {
  const frame = site.toString();
  const file = site.getFileName();
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  if (!file || !line || !column || !/\.m?js$/.test(file)) return frame;
  const origin = mapOf(file)?.findOrigin(line, column);
  if (!origin || !('fileName' in origin)) return frame;
  // The bundle names its sources from the project root (`functions/app/intake.ts`).
  // A function, so that "$&" or "$'" in a source's name is not read as a replacement pattern.
  const mapped = `${origin.fileName}:${origin.lineNumber}:${origin.columnNumber}`;
  return frame.replace(`${file}:${line}:${column}`, () => mapped);
}

/** The stack's first line, as V8 writes it: `TypeError: message`. */
function headline(error: unknown): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return 'Error';
  }
}

/**
 * Has V8 write every stack with bundled frames in source positions. For the bundled functions
 * only: under `tsx` and the tests, Node and vitest already map stacks, and would lose theirs.
 */
export function mapStacksToSource(): void {
  Error.prepareStackTrace = (error, sites) =>
    headline(error) + sites.map((site) => `\n    at ${mappedFrame(site)}`).join('');
}
