import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveAsset } from '../../../functions/web/assets.js';

describe('resolveAsset', () => {
  it.each([
    ['/assets/govuk-frontend.min.css', 'text/css; charset=utf-8', /govuk[\\/]govuk-frontend\.min\.css$/],
    ['/assets/govuk-frontend.min.js', 'text/javascript; charset=utf-8', /govuk[\\/]govuk-frontend\.min\.js$/],
    ['/assets/redress.js', 'text/javascript; charset=utf-8', /static[\\/]redress\.js$/],
    ['/assets/redress.css', 'text/css; charset=utf-8', /static[\\/]redress\.css$/],
    [
      '/assets/fonts/bold-b542beb274-v2.woff2',
      'font/woff2',
      /assets[\\/]fonts[\\/]bold-b542beb274-v2\.woff2$/,
    ],
    ['/assets/images/favicon.svg', 'image/svg+xml', /assets[\\/]images[\\/]favicon\.svg$/],
    ['/assets/manifest.json', 'application/manifest+json; charset=utf-8', /assets[\\/]manifest\.json$/],
  ])('maps %s to its file', (url, contentType, path) => {
    const asset = resolveAsset(url);

    expect(asset?.contentType).toBe(contentType);
    expect(asset?.path).toMatch(path);
  });

  it('caches fingerprinted fonts for a year and other files for an hour', () => {
    expect(resolveAsset('/assets/fonts/light-94a07e06a1-v2.woff2')?.cacheControl).toContain('immutable');
    expect(resolveAsset('/assets/govuk-frontend.min.css')?.cacheControl).toBe('public, max-age=3600');
  });

  it('ignores a query string', () => {
    expect(resolveAsset('/assets/govuk-frontend.min.css?v=6')?.path).toMatch(/govuk-frontend\.min\.css$/);
  });

  it('serves the CSS that points its fonts at /assets', () => {
    const asset = resolveAsset('/assets/govuk-frontend.min.css');

    expect(readFileSync(asset?.path as string, 'utf8')).toContain('url(/assets/fonts/');
  });

  it.each([
    '/assets/../package.json',
    '/assets/../../../../etc/passwd',
    '/assets/fonts/../../../package.json',
    '/assets/fonts/../../govuk-frontend.min.js',
    '/assets/%2e%2e/%2e%2e/package.json',
    '/assets/fonts/..%2f..%2fpackage.json',
    '/assets/fonts%2f..%2f..%2fpackage.json',
    '/assets/..\\..\\package.json',
    '/assets//etc/passwd',
    '/assets/images/',
    '/assets/',
    '/assets/template.njk',
    '/assets/components/button/template.njk',
    '/assets/fonts/missing.woff2',
    '/assets/fonts/.hidden',
    '/assets/fonts/a\u0000.woff2',
    '/etc/passwd',
    '/assets/constructor',
    '/assets/__proto__',
  ])('rejects %s', (url) => {
    expect(resolveAsset(url)).toBeUndefined();
  });
});
