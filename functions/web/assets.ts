/**
 * Maps `/assets/...` URLs to files: GOV.UK Frontend's compiled CSS and JS, its fonts and images,
 * and our own small static files. Only names made of safe characters are looked up, inside a
 * known folder, so no request can reach another file (`..`, encoded slashes, absolute paths).
 */
import { statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { GOVUK_DIR, STATIC_DIR } from './paths.js';

/** A file to send for an asset URL. */
export interface Asset {
  path: string;
  contentType: string;
  /** Fingerprinted files (fonts) never change; the rest may change with a release. */
  cacheControl: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/manifest+json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Files served from the top of `/assets/`, by name. */
const TOP_LEVEL: Record<string, () => string> = {
  'govuk-frontend.min.css': () => join(GOVUK_DIR, 'govuk-frontend.min.css'),
  'govuk-frontend.min.css.map': () => join(GOVUK_DIR, 'govuk-frontend.min.css.map'),
  'govuk-frontend.min.js': () => join(GOVUK_DIR, 'govuk-frontend.min.js'),
  'govuk-frontend.min.js.map': () => join(GOVUK_DIR, 'govuk-frontend.min.js.map'),
  'manifest.json': () => join(GOVUK_DIR, 'assets', 'manifest.json'),
  'redress.js': () => join(STATIC_DIR, 'redress.js'),
  'redress.css': () => join(STATIC_DIR, 'redress.css'),
};

/** `fonts/<name>` and `images/<name>` only; each name a plain file name. */
const NESTED = /^(fonts|images)\/([A-Za-z0-9_-][A-Za-z0-9._-]*)$/;

function within(base: string, path: string): boolean {
  const rel = relative(resolve(base), resolve(path));
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !rel.includes(`..${sep}`);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch (error: unknown) {
    if (error instanceof Error) return false;
    throw error;
  }
}

/**
 * The file behind an `/assets/...` URL path (query string allowed and ignored), or `undefined`
 * when there is none or the path tries to leave the asset folders.
 */
export function resolveAsset(urlPath: string): Asset | undefined {
  const path = urlPath.split(/[?#]/, 1)[0] ?? '';
  if (!path.startsWith('/assets/')) return undefined;
  const name = path.slice('/assets/'.length);
  if (name.includes('..') || name.includes('\\') || name.includes('%') || name.includes('\0'))
    return undefined;
  let file: string | undefined;
  let base: string;
  const top = Object.hasOwn(TOP_LEVEL, name) ? TOP_LEVEL[name] : undefined;
  if (top) {
    file = top();
    base = name.startsWith('redress.') ? STATIC_DIR : GOVUK_DIR;
  } else {
    const match = NESTED.exec(name);
    if (!match) return undefined;
    base = join(GOVUK_DIR, 'assets');
    file = join(base, match[1] as string, match[2] as string);
  }
  if (!within(base, file) || !isFile(file)) return undefined;
  const contentType = CONTENT_TYPES[extname(file).toLowerCase()];
  if (!contentType) return undefined;
  const fingerprinted = /-[0-9a-f]{8,}-v\d+\.woff2?$/.test(file);
  return {
    path: file,
    contentType,
    cacheControl: fingerprinted ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
  };
}
