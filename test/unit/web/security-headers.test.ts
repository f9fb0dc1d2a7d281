import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { notFoundPage, residentFormPage, taskPage } from '../../../functions/web/render.js';
import { contentSecurityPolicy, securityHeaders } from '../../../functions/web/security-headers.js';
import { samplePolicy, sampleTask } from './sample-data.js';

/** Contents of the inline scripts (no `src`) of a page. */
function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] as string);
}

function directive(csp: string, name: string): string[] {
  const found = csp
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .find((parts) => parts[0] === name);
  return found?.slice(1) ?? [];
}

describe('securityHeaders', () => {
  it('sets the headers that keep signed links and personal data private', () => {
    const headers = securityHeaders();

    expect(headers).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Cache-Control': 'no-store',
    });
    expect(headers['Permissions-Policy']).toContain('camera=()');
    expect(headers['Content-Security-Policy']).toBe(contentSecurityPolicy());
  });

  it('allows scripts, styles, fonts and images from our own origin only', () => {
    const csp = contentSecurityPolicy();

    expect(directive(csp, 'default-src')).toEqual(["'self'"]);
    expect(directive(csp, 'style-src')).toEqual(["'self'"]);
    expect(directive(csp, 'font-src')).toEqual(["'self'"]);
    expect(directive(csp, 'img-src')).toEqual(["'self'"]);
    expect(directive(csp, 'frame-ancestors')).toEqual(["'none'"]);
    expect(directive(csp, 'object-src')).toEqual(["'none'"]);
    expect(directive(csp, 'form-action')).toEqual(["'self'"]);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });

  it.each([
    ['the resident form', () => residentFormPage({ policy: samplePolicy })],
    ['a task page', () => taskPage({ task: sampleTask('respond'), csrf: 'c' })],
    ['the not-found page', () => notFoundPage()],
  ])('allows exactly the inline script of %s by its hash', (_name, render) => {
    const scripts = inlineScripts(render());
    const allowed = directive(contentSecurityPolicy(), 'script-src');

    expect(scripts).toHaveLength(1);
    for (const script of scripts) {
      const hash = `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
      expect(allowed).toContain(hash);
    }
    expect(allowed).toHaveLength(1 + scripts.length);
  });

  it('loads the GOV.UK Frontend module from a file rather than inline', () => {
    const html = residentFormPage({ policy: samplePolicy });

    expect(html).toContain('<script type="module" src="/assets/redress.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/assets/govuk-frontend.min.css">');
  });
});
