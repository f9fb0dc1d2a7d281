/**
 * Response headers for every HTML page. Task and case pages are reached through signed links, so
 * nothing may leak the URL (no referrer), be cached (no-store) or be framed; scripts, styles,
 * fonts and images come only from our own origin.
 */
import { createHash } from 'node:crypto';
import { layoutInlineScripts } from './render.js';

let scriptHashes: string[] | undefined;

/**
 * CSP source expressions for the layout's own inline scripts. govuk/template.njk switches on
 * `js-enabled` with an inline one-liner; hashing it lets the policy keep forbidding every other
 * inline script (a nonce would need a per-response value threaded through every render).
 */
export function inlineScriptHashes(): string[] {
  scriptHashes ??= layoutInlineScripts().map(
    (script) => `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`,
  );
  return scriptHashes;
}

/** The Content-Security-Policy of the HTML pages. */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${inlineScriptHashes().join(' ')}`.trim(),
    "style-src 'self'",
    "font-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers to add to every HTML response (merge after the content type). */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    // Links carry signed tokens: never send the page address to another site.
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    // Task and case pages hold personal data behind a signed link: no shared or browser cache.
    'Cache-Control': 'no-store',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  };
}
