import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, join, relative } from 'node:path';
import type { Metafile } from 'esbuild';

/**
 * Node's built-in modules as a function's bundle loads them (`RedressFunction`).
 *
 * Left as an ES module `import`, a built-in makes Node build an ES module facade of it at load,
 * which reads every export, getters included: on Node 24, the functions' runtime, `node:http`'s
 * getters load undici (its `WebSocket`) for Powertools' tracer and the AWS SDK's ES modules, and
 * `node:process`'s open stdin. So each built-in (`http` and `node:http` alike) is aliased to a
 * CommonJS module of one line that asks Node for the module object
 * (`process.getBuiltinModule`, Node 20.16 and later), which an `import` reads as a `require`
 * would: each export when it is used, never a getter it does not use.
 *
 * esbuild has no option for this, and its plugins (which could tell an `import` from an
 * `import()`) do not run in `buildSync`, which CDK's synchronous local bundling needs: aliases
 * to files are the way it offers, and they apply to every kind of import. An `import()` of a
 * CommonJS module becomes a chunk that exports only `default`, where Node gives the built-in's
 * named exports too (`const { request } = await import('node:http')`), so after the build
 * `restoreDynamicImports` makes each such chunk re-export the built-in itself: Node builds its
 * facade then, when that `import()` runs, as it would unbundled.
 */
const SHIMS = join('node_modules', '.cache', 'redress-builtins');

/** The aliases made in this process, by project: a synth bundles every function with the same. */
const made = new Map<string, Record<string, string>>();

/** The aliases for esbuild's `alias`, writing the modules they name under `node_modules/.cache` once. */
export function builtinAliases(projectRoot: string): Record<string, string> {
  const known = made.get(projectRoot);
  if (known) return known;
  const dir = join(projectRoot, SHIMS);
  mkdirSync(dir, { recursive: true });
  const aliases: Record<string, string> = {};
  for (const name of builtinModules) {
    // Node 23.5 and later also list the built-ins that exist only with the scheme (`node:test`).
    const id = name.startsWith('node:') ? name : `node:${name}`;
    const file = join(dir, `${id.slice('node:'.length).replaceAll('/', '__')}.cjs`);
    const text = `module.exports = process.getBuiltinModule(${JSON.stringify(id)});\n`;
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) {
      // Written aside and renamed: a build running at the same moment never reads half a file.
      const aside = `${file}.${process.pid}`;
      writeFileSync(aside, text);
      renameSync(aside, file);
    }
    const path = `./${relative(projectRoot, file)}`;
    aliases[id] = path;
    if (!name.startsWith('node:')) aliases[name] = path;
  }
  made.set(projectRoot, aliases);
  return aliases;
}

/**
 * After the build: each chunk esbuild made for an `import()` of a built-in (its entry point is the
 * built-in's alias module) re-exports the built-in itself, with its named exports.
 */
export function restoreDynamicImports(projectRoot: string, metafile: Metafile): void {
  const shims = `${SHIMS.replaceAll('\\', '/')}/`;
  for (const [output, { entryPoint }] of Object.entries(metafile.outputs)) {
    if (!entryPoint?.startsWith(shims) || !output.endsWith('.mjs')) continue;
    const text = readFileSync(join(projectRoot, entryPoint), 'utf8');
    const id = /process\.getBuiltinModule\(("[^"]+")\)/.exec(text)?.[1];
    if (id === undefined) throw new Error(`${entryPoint} is not a built-in's alias module`);
    const file = join(projectRoot, output);
    writeFileSync(file, `export * from ${id};\nexport { default } from ${id};\n`);
    rmSync(`${file}.map`, { force: true });
  }
}

/**
 * After the build: the chunks that hold nothing but a built-in's alias module are not imported.
 * esbuild makes a chunk of every module shared by a different set of the bundle's entry points
 * (its handler and each `import()`), so each built-in the AWS clients use becomes a chunk of one
 * line, and a step's cold start loaded nine of them: each ES module Node loads costs about 0.2 ms
 * of resolving, reading and linking, whatever its size (about 4 ms of the route function's 63).
 * Each `import{a as x}from"./chunk-….mjs"` of such a chunk becomes `var x=()=>require("node:…")`
 * (the bundle's `require`, from its banner, which loads a built-in as the alias module did: the
 * module object, no facade), and a bare `import"./chunk-….mjs"` (kept for the order of
 * evaluation, of which a built-in has none) is dropped. Each is padded with spaces to the length
 * it replaces, so the source maps' columns still hold; one that would not fit is left as it is.
 * The chunks stay in the bundle, unread. esbuild has no option for this (no control over how
 * it groups shared modules), and its plugins do not run in `buildSync` (see above).
 */
export function inlineBuiltinChunks(projectRoot: string, metafile: Metafile): void {
  const shims = `${SHIMS.replaceAll('\\', '/')}/`;
  const builtins = new Map<string, { id: string; exported: string }>();
  for (const [output, { inputs, entryPoint }] of Object.entries(metafile.outputs)) {
    const sources = Object.keys(inputs);
    if (entryPoint || !output.endsWith('.mjs') || sources.length !== 1 || !sources[0]?.startsWith(shims))
      continue;
    const text = readFileSync(join(projectRoot, output), 'utf8');
    const id = /process\.getBuiltinModule\(("[^"]+")\)/.exec(text)?.[1];
    const exported = /export\{[\w$]+ as ([\w$]+)\}/.exec(text)?.[1];
    if (id === undefined || exported === undefined) continue;
    builtins.set(basename(output), { id, exported });
  }
  if (builtins.size === 0) return;
  const padded = (replacement: string, original: string): string =>
    replacement.length <= original.length ? replacement.padEnd(original.length) : original;
  for (const output of Object.keys(metafile.outputs).filter((file) => file.endsWith('.mjs'))) {
    const file = join(projectRoot, output);
    const text = readFileSync(file, 'utf8');
    const next = text
      .replace(
        /import\{([\w$]+) as ([\w$]+)\}from"\.\/(?:chunks\/)?([\w-]+\.mjs)";/g,
        (all, name, local, chunk) => {
          const builtin = builtins.get(chunk);
          return builtin && builtin.exported === name
            ? padded(`var ${local}=()=>require(${builtin.id});`, all)
            : all;
        },
      )
      .replace(/import"\.\/(?:chunks\/)?([\w-]+\.mjs)";/g, (all, chunk) =>
        builtins.has(chunk) ? ' '.repeat(all.length) : all,
      );
    if (next !== text) writeFileSync(file, next);
  }
}
