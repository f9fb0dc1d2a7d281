import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
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
