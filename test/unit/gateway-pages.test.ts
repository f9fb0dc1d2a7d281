import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { Policy } from '../../functions/domain/policy-schema.js';
import { PayloadTooLargeError } from '../../functions/http/errors.js';
import { MAX_BODY_BYTES } from '../../functions/http/request.js';
import { CATALOGUE } from '../../functions/web/i18n.js';
import {
  type GatewayResponsePage,
  type GatewayResponseType,
  gatewayResponses,
  MAX_TEMPLATE_BYTES,
} from '../../infra/gateway-responses.js';
import { councilInWales } from '../support/council-in-wales.js';

/**
 * The pages API Gateway answers with itself, built for the running council: its name, a way back
 * to the form and its complaints team's address, in the GOV.UK look with an inline style, and in
 * Welsh and English on one page where the council offers Welsh.
 */
const en = CATALOGUE.en;
const cy = CATALOGUE.cy;

const dudley = loadPolicy('dudley');
const inWales = loadPolicy(councilInWales('dudley'));

const byType = (responses: readonly GatewayResponsePage[], type: GatewayResponseType) =>
  responses.find((r) => r.type === type) as GatewayResponsePage;
const html = (responses: readonly GatewayResponsePage[], type: GatewayResponseType) =>
  byType(responses, type).templates['text/html'];

describe('gatewayResponses (the pages API Gateway answers itself)', () => {
  const english = gatewayResponses(dudley, { basePath: '/live' });
  const welsh = gatewayResponses(inWales, { basePath: '' });

  it('names the council and the service on every page', () => {
    for (const response of english) {
      const page = response.templates['text/html'];
      expect(page, response.type).toContain(`<header><div class="w">${dudley.council}</div></header>`);
      expect(page, response.type).toMatch(
        /<title>[^<]+ – Complaints and feedback – Dudley Metropolitan Borough Council<\/title>/,
      );
    }
  });

  it('gives a way back to the form at the public address’s base path, and the complaints team’s address', () => {
    const page = html(english, 'RESOURCE_NOT_FOUND');

    expect(page).toContain(`<h2>${en['gateway.next']}</h2>`);
    expect(page).toContain(`<a href="/live/">${en['gateway.form']}</a>`);
    expect(page).toContain(
      `${en['gateway.contact']} <a href="mailto:${dudley.routing.complaintsTeam}">${dudley.routing.complaintsTeam}</a>.`,
    );
  });

  it('gives the council’s phone number where its policy has one', () => {
    const withPhone: Policy = {
      ...dudley,
      letters: { returnAddress: ['Council House'], phone: '0300 555 2345' },
    };

    expect(html(gatewayResponses(withPhone, { basePath: '' }), 'THROTTLED')).toContain(
      'Or phone 0300 555 2345.',
    );
    expect(html(english, 'THROTTLED')).not.toContain('Or phone');
  });

  it('styles each page inline, with no stylesheet, script, image or font to fetch', () => {
    for (const response of [...english, ...welsh]) {
      const page = response.templates['text/html'];
      expect(page, response.type).toMatch(/<style>[^<]+<\/style>/);
      expect(page, response.type).not.toMatch(/<link|<script|<img|@import|url\(/);
    }
  });

  it('keeps every template within API Gateway’s 300 KB for a mapping template, and small', () => {
    expect(MAX_TEMPLATE_BYTES).toBe(300 * 1024);
    for (const response of [...english, ...welsh]) {
      for (const template of Object.values(response.templates)) {
        expect(Buffer.byteLength(template), response.type).toBeLessThan(MAX_TEMPLATE_BYTES);
        // A page a resident on a slow phone connection gets at once.
        expect(Buffer.byteLength(template), response.type).toBeLessThan(8 * 1024);
      }
    }
  });

  it('says of a body too large what the form’s own 413 says, in English and in draft Welsh', () => {
    const message = new PayloadTooLargeError(MAX_BODY_BYTES).message;

    expect(html(english, 'REQUEST_TOO_LARGE')).toContain(`<p>${message}</p>`);
    expect(JSON.parse(byType(english, 'REQUEST_TOO_LARGE').templates['application/json'])).toEqual({
      message,
      maxBytes: MAX_BODY_BYTES,
    });
    expect(html(welsh, 'REQUEST_TOO_LARGE')).toContain(
      `<p>${cy['gateway.tooLarge'].replace('{kb}', '64')}</p>`,
    );
  });

  it('is English only for a council that does not offer Welsh', () => {
    for (const response of english) {
      expect(response.templates['text/html'], response.type).toMatch(/^<!DOCTYPE html><html lang="en">/);
      expect(response.templates['text/html'], response.type).not.toContain('lang="cy"');
      expect(JSON.parse(response.templates['application/json']), response.type).not.toHaveProperty(
        'messageCy',
      );
    }
  });

  it('is in Welsh first and English for a council in Wales that offers Welsh, each part marked with its language', () => {
    const page = html(welsh, 'RESOURCE_NOT_FOUND');

    expect(page).toMatch(/^<!DOCTYPE html><html lang="cy">/);
    expect(page).toContain(
      `<h1><span>${cy['notFound.heading']}</span><span class="en" lang="en">${en['notFound.heading']}</span></h1>`,
    );
    const welshPart = page.indexOf(`<div lang="cy"><h2>${cy['language.cy']}</h2>`);
    const englishPart = page.indexOf(`<div lang="en"><h2>${en['language.en']}</h2>`);
    expect(welshPart).toBeGreaterThan(0);
    expect(englishPart).toBeGreaterThan(welshPart);
    expect(page.slice(welshPart, englishPart)).toContain(cy['notFound.p1']);
    expect(page.slice(welshPart, englishPart)).toContain(`<a href="/?lang=cy">${cy['gateway.form']}</a>`);
    expect(page.slice(englishPart)).toContain(en['notFound.p1']);
    expect(page.slice(englishPart)).toContain(`<a href="/">${en['gateway.form']}</a>`);
    expect(page.match(/<h1>/g)).toHaveLength(1);
  });

  it('gives a program the Welsh message beside the English where the council offers Welsh', () => {
    expect(JSON.parse(byType(welsh, 'THROTTLED').templates['application/json'])).toEqual({
      message: en['gateway.busy'],
      messageCy: cy['gateway.busy'],
      retryAfterSeconds: 30,
    });
  });

  it('shows a $ in the council’s words rather than letting API Gateway substitute it', () => {
    const dollar: Policy = { ...dudley, council: 'Borough of $context Council' };
    const [page] = gatewayResponses(dollar, { basePath: '' });

    expect(page?.templates['text/html']).not.toContain('$');
    expect(page?.templates['text/html']).toContain('Borough of &#36;context Council');
  });
});
