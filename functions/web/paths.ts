/**
 * Where the web layer finds its templates and static files. Built from this module's own location
 * (and govuk-frontend's installed package), never the working directory.
 *
 * A Lambda bundle has no node_modules and no source tree: the deploy step copies the views, the
 * static files and govuk-frontend's `dist` folder next to the bundle and points these variables
 * at them:
 * - `REDRESS_VIEWS_DIR`   — this folder's `views/` (Nunjucks templates of the pages)
 * - `REDRESS_STATIC_DIR`  — this folder's `static/` (the module that starts GOV.UK Frontend, our CSS)
 * - `GOVUK_FRONTEND_DIR`  — govuk-frontend's `dist/` folder, the one holding `govuk/`
 * - `REDRESS_PRECOMPILED_VIEWS_DIR` — both sets of templates compiled when the bundle was built
 *   (`precompiled-views.ts`); unset elsewhere, where the templates are compiled when first used
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function govukFrontendDist(): string {
  const fromEnv = process.env.GOVUK_FRONTEND_DIR;
  if (fromEnv) return fromEnv;
  // Resolved only when no override is set: in a bundle the package is not there to resolve.
  const pkg = createRequire(import.meta.url).resolve('govuk-frontend/package.json');
  return join(dirname(pkg), 'dist');
}

/** Folder of this project's Nunjucks page templates. */
export const VIEWS_DIR = process.env.REDRESS_VIEWS_DIR ?? join(here, 'views');
/** Folder of this project's own static files (served under `/assets/`). */
export const STATIC_DIR = process.env.REDRESS_STATIC_DIR ?? join(here, 'static');
/** govuk-frontend's `dist/` folder: a Nunjucks search path, so `govuk/components/...` imports work. */
export const GOVUK_FRONTEND_DIR = govukFrontendDist();
/** The pages' templates compiled at bundle time, if this is a bundle that has them. */
export const PRECOMPILED_VIEWS_DIR = process.env.REDRESS_PRECOMPILED_VIEWS_DIR || undefined;
/** govuk-frontend's compiled CSS/JS and its `assets/` (fonts, images). */
export const GOVUK_DIR = join(GOVUK_FRONTEND_DIR, 'govuk');
