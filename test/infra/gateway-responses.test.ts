import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../functions/domain/policy.js';
import { PayloadTooLargeError } from '../../functions/http/errors.js';
import { MAX_BODY_BYTES } from '../../functions/http/request.js';
import { CATALOGUE } from '../../functions/web/i18n.js';
import { FIREWALL_BODY_MAX_BYTES, firewallPage } from '../../infra/gateway-responses.js';
import { councilInWales } from '../support/council-in-wales.js';
import { type CfnJson, type Resource, synthRedress } from './synth.js';

/**
 * What API Gateway answers itself, before or instead of the function: a body over Lambda's 6 MB,
 * the stage's throttle, an address or method no route has, a function that timed out or failed.
 * Its own answers are bare JSON (`{"message":"Request Too Long"}`); a resident who posted the
 * form gets a page in the service's words instead, and a program that asked for JSON gets JSON
 * with a `message` as the function's own errors have.
 */
/** The stack's gateway responses by type, synthesized with `context`. */
function gatewayResponsesOf(context: Record<string, unknown> = {}): Map<string, Record<string, CfnJson>> {
  const template: Template = synthRedress(context).template;
  const resources = template.toJSON().Resources as Record<string, Resource & { Type: string }>;
  return new Map(
    Object.values(resources)
      .filter((r) => r.Type === 'AWS::ApiGateway::GatewayResponse')
      .map((r) => [r.Properties.ResponseType as string, r.Properties]),
  );
}

describe('the API’s own error answers (gateway responses)', () => {
  let responses: Map<string, Record<string, CfnJson>>;
  beforeAll(() => {
    responses = gatewayResponsesOf();
  });

  const en = CATALOGUE.en;
  const html = (type: string): string => responses.get(type)?.ResponseTemplates?.['text/html'] ?? '';
  const json = (type: string): Record<string, unknown> =>
    JSON.parse(responses.get(type)?.ResponseTemplates?.['application/json'] ?? 'null') ?? {};

  it('answers every error API Gateway makes itself with a page and with JSON', () => {
    for (const type of [
      'REQUEST_TOO_LARGE',
      'THROTTLED',
      'MISSING_AUTHENTICATION_TOKEN',
      'RESOURCE_NOT_FOUND',
      'INTEGRATION_TIMEOUT',
      'INTEGRATION_FAILURE',
      'DEFAULT_4XX',
      'DEFAULT_5XX',
    ]) {
      expect(html(type), type).toMatch(/^<!DOCTYPE html><html lang="en">.*<h1>[^<]+<\/h1>/s);
      // JSON first: the template API Gateway falls back to for an Accept no template has.
      expect(Object.keys(responses.get(type)?.ResponseTemplates ?? {}), type).toEqual([
        'application/json',
        'text/html',
      ]);
      expect(json(type).message, type).toEqual(expect.any(String));
      // Gateway response templates substitute `$` variables: none may be in the words.
      expect(responses.get(type)?.ResponseTemplates['text/html'], type).not.toContain('$');
    }
  });

  it('says of a body too large what the form’s own 413 page says', () => {
    const message = new PayloadTooLargeError(MAX_BODY_BYTES).message;

    expect(responses.get('REQUEST_TOO_LARGE')?.StatusCode).toBe('413');
    expect(html('REQUEST_TOO_LARGE')).toContain(`<h1>${en['problem.heading']}</h1>`);
    expect(html('REQUEST_TOO_LARGE')).toContain(message);
    expect(json('REQUEST_TOO_LARGE')).toEqual({ message, maxBytes: MAX_BODY_BYTES });
  });

  it('answers the stage’s throttle with 429, a Retry-After, and that nothing was kept', () => {
    const throttled = responses.get('THROTTLED');

    expect(throttled?.StatusCode).toBe('429');
    expect(throttled?.ResponseParameters).toMatchObject({ 'gatewayresponse.header.Retry-After': "'30'" });
    expect(html('THROTTLED')).toContain(
      'The service is busy just now, so what you sent was not accepted. Nothing has been saved. Wait a minute, then go back and send it again.',
    );
    expect(json('THROTTLED')).toMatchObject({ retryAfterSeconds: 30 });
  });

  it('answers an address no route has with the service’s 404 page, not 403 "Missing Authentication Token"', () => {
    for (const type of ['MISSING_AUTHENTICATION_TOKEN', 'RESOURCE_NOT_FOUND']) {
      expect(responses.get(type)?.StatusCode, type).toBe('404');
      expect(html(type)).toContain(`<h1>${en['notFound.heading']}</h1>`);
      expect(html(type)).toContain(en['notFound.p1']);
      expect(json(type)).toEqual({ message: 'Page not found' });
    }
  });

  it('never says of a timed-out or failed request that nothing was saved: it may have been', () => {
    for (const type of ['INTEGRATION_TIMEOUT', 'INTEGRATION_FAILURE', 'DEFAULT_5XX']) {
      expect(html(type)).toContain(`<h1>${en['error.heading']}</h1>`);
      expect(html(type)).not.toContain(en['error.p2']);
      expect(html(type)).toContain(
        'If you were sending feedback, we may have received it: check your email for a message with its reference before you send it again.',
      );
    }
  });

  it('says what a report without its dates needs, rather than that nothing was saved', () => {
    const message =
      'Enter the start date (from) and the end date (to) of the report, each written YYYY-MM-DD, like 2025-04-01.';

    expect(responses.get('BAD_REQUEST_PARAMETERS')?.StatusCode).toBe('400');
    expect(html('BAD_REQUEST_PARAMETERS')).toContain(`<h1>${en['problem.heading']}</h1>`);
    expect(html('BAD_REQUEST_PARAMETERS')).toContain(message);
    expect(json('BAD_REQUEST_PARAMETERS')).toEqual({ message });
  });

  it('keeps the status API Gateway gives its other errors', () => {
    expect([...responses.keys()]).toEqual(expect.arrayContaining(['DEFAULT_4XX', 'DEFAULT_5XX']));
    expect(responses.get('DEFAULT_4XX')?.StatusCode).toBeUndefined();
    expect(responses.get('DEFAULT_5XX')?.StatusCode).toBeUndefined();
  });

  it('names the deployed policy’s council and links back to the form under the stage’s path', () => {
    for (const type of responses.keys()) {
      expect(html(type), type).toContain('<header><div class="w">Example Council</div></header>');
      expect(html(type), type).toContain(`<a href="/live/">${en['gateway.form']}</a>`);
      expect(html(type), type).toContain('<a href="mailto:complaints@example.gov.uk">');
    }
  });

  it('links to the form at the root behind a custom domain', () => {
    const behindDomain = gatewayResponsesOf({
      'redress:domainName': 'complaints.example.gov.uk',
      'redress:certificateArn': 'arn:aws:acm:eu-west-2:123456789012:certificate/abc-123',
    });

    expect(behindDomain.get('RESOURCE_NOT_FOUND')?.ResponseTemplates['text/html']).toContain(
      `<a href="/">${en['gateway.form']}</a>`,
    );
  });

  it('deploys the pages in Welsh and English for a council in Wales that offers Welsh', () => {
    const welsh = gatewayResponsesOf({ 'redress:policyFile': councilInWales('lgsco-code-2024') });
    const page = welsh.get('RESOURCE_NOT_FOUND')?.ResponseTemplates['text/html'] as string;

    expect(page).toMatch(/^<!DOCTYPE html><html lang="cy">/);
    expect(page).toContain(CATALOGUE.cy['notFound.heading']);
    expect(page).toContain(`<div lang="en"><h2>English</h2><p>${en['notFound.p1']}</p>`);
  });

  it('names the deployment’s complaints team mailbox where it overrides the policy’s, as the function’s pages do', () => {
    const staging = gatewayResponsesOf({ 'redress:complaintsTeam': 'complaints-test@example.gov.uk' });

    for (const [type, response] of staging) {
      expect(response.ResponseTemplates['text/html'], type).toContain(
        '<a href="mailto:complaints-test@example.gov.uk">complaints-test@example.gov.uk</a>',
      );
      expect(response.ResponseTemplates['text/html'], type).not.toContain('complaints@example.gov.uk');
    }
  });
});

/** The body WAF answers an address that sent too much with (429), synthesized with `context`. */
function firewallPageOf(context: Record<string, unknown> = {}): { content: string; contentType: string } {
  const template: Template = synthRedress(context).template;
  const acl = Object.values(template.findResources('AWS::WAFv2::WebACL'))[0] as Resource;
  const body = (
    acl.Properties.CustomResponseBodies as Record<string, { Content: string; ContentType: string }>
  )['too-many-requests'];
  return { content: body?.Content ?? '', contentType: body?.ContentType ?? '' };
}

describe('WAF’s answer to an address that sent too much (429)', () => {
  it('is the council’s page, as API Gateway’s own answers are, saying how long to wait', () => {
    const { content, contentType } = firewallPageOf();

    expect(contentType).toBe('TEXT_HTML');
    expect(content).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(content).toContain('<style>');
    expect(content).toContain('<header><div class="w">Example Council</div></header>');
    expect(content).toContain(`<a href="/live/">${CATALOGUE.en['gateway.form']}</a>`);
    expect(content).toContain('<a href="mailto:complaints@example.gov.uk">');
    expect(content).toContain('Wait 5 minutes');
    // Well inside the 10,240 characters CloudFormation takes (AWS::WAFv2::WebACL
    // CustomResponseBody, Content), as a margin for AWS WAF's own quotas on custom responses.
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(4 * 1024);
  });

  it('is in Welsh and English for a council in Wales that offers Welsh', () => {
    const { content } = firewallPageOf({ 'redress:policyFile': councilInWales('lgsco-code-2024') });

    expect(content).toMatch(/^<!DOCTYPE html><html lang="cy">/);
    expect(content).toContain('<div lang="en"><h2>English</h2>');
    expect(content).toContain('Arhoswch 5 munud');
    expect(content).toContain('Wait 5 minutes');
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(4 * 1024);
  });

  it('keeps within WAF’s 4 KB for a council with a long name in two languages: the same words, unstyled', () => {
    const council =
      'The Royal Borough Council of the Long-Named County, Its Market Towns and Its Many Villages Upon the River, the Moor and the Coast, with the Islands Off Its Shore';
    const policy = { ...loadPolicy(councilInWales('lgsco-code-2024')), council };

    const content = firewallPage(policy, { basePath: '/live' });

    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(FIREWALL_BODY_MAX_BYTES);
    expect(content).not.toContain('<style>');
    expect(content).toContain(`<header><div class="w">${council}</div></header>`);
    expect(content).toContain('Arhoswch 5 munud');
    expect(content).toContain('Wait 5 minutes');
  });

  it('refuses at synth a page WAF could not take even unstyled, saying what to shorten', () => {
    const policy = { ...loadPolicy(councilInWales('lgsco-code-2024')), council: 'A council '.repeat(120) };

    expect(() => firewallPage(policy, { basePath: '/live' })).toThrow(/shorten the council's name/);
  });
});
