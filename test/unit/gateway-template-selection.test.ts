import { describe, expect, it } from 'vitest';
import { TEMPLATE_TYPES, templateFor } from '../../infra/gateway-responses.js';

/**
 * Which of a gateway response's templates API Gateway answers with, by the request's `Accept`, as
 * AWS documents it ("Select a VTL mapping template" in the API Gateway Developer Guide, and the
 * note on several `Accept` media types in "Working with binary media types for REST APIs"). The
 * local stand-in answers by the same function, so what these pin is what a resident meets on AWS.
 */
describe('templateFor (API Gateway’s choice of a gateway response template)', () => {
  it('lists the JSON template first, the one AWS falls back to', () => {
    expect(TEMPLATE_TYPES).toEqual(['application/json', 'text/html']);
  });

  it('answers a request without an Accept header with application/json', () => {
    expect(templateFor(undefined)).toBe('application/json');
    expect(templateFor('')).toBe('application/json');
  });

  it('answers with the template whose content type the Accept header names', () => {
    expect(templateFor('text/html')).toBe('text/html');
    expect(templateFor('application/json')).toBe('application/json');
  });

  it('uses only the media type, not its parameters', () => {
    expect(templateFor('text/html; charset=utf-8')).toBe('text/html');
  });

  it('honours only the first media type of several', () => {
    expect(templateFor('text/html, application/json')).toBe('text/html');
    expect(templateFor('application/json, text/html')).toBe('application/json');
    // A later type that has a template does not count when the first has none.
    expect(templateFor('application/xml, text/html')).toBe('application/json');
  });

  it('ignores q values: the first type listed wins even when it is the least preferred', () => {
    expect(templateFor('application/json;q=0.1, text/html')).toBe('application/json');
    expect(templateFor('text/plain;q=1, text/html;q=0.9')).toBe('application/json');
  });

  it('answers a first type no template has, wildcards included, with the first template', () => {
    expect(templateFor('*/*')).toBe('application/json');
    expect(templateFor('text/*')).toBe('application/json');
    expect(templateFor('application/xml')).toBe('application/json');
  });

  it('answers a browser’s page request (a link followed or a form posted) with the page', () => {
    // Chromium's Accept for a navigation.
    const chromium =
      'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';
    // Firefox's.
    const firefox = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

    expect(templateFor(chromium)).toBe('text/html');
    expect(templateFor(firefox)).toBe('text/html');
  });

  it('answers a script’s fetch, which accepts anything, with JSON', () => {
    expect(templateFor('*/*')).toBe('application/json');
  });
});
