import { describe, expect, it } from 'vitest';
import { MethodNotAllowedError, NotFoundError } from '../../../functions/http/errors.js';
import { json } from '../../../functions/http/responses.js';
import { Router } from '../../../functions/http/router.js';
import { apiEvent } from '../../support/api-event.js';

/** A router with one route of its own and a lazy group under `/staff`, counting its registrations. */
function routerWithLazyStaff(register: () => Promise<void> = async () => {}) {
  let registrations = 0;
  const router = new Router()
    .on('GET', '/', async () => json(200, { page: 'form' }))
    .lazy(['/staff'], async (r) => {
      await register();
      registrations += 1;
      r.on('GET', '/staff', async () => json(200, { page: 'queue' }));
      r.on('GET', '/staff/cases/{reference}', async (_event, params) => json(200, params));
    });
  return { router, registrations: () => registrations };
}

describe('Router.lazy', () => {
  it('registers a group on the first request under its prefix, once', async () => {
    const { router, registrations } = routerWithLazyStaff();

    const queue = await router.handle(apiEvent('GET', '/staff'));
    const page = await router.handle(apiEvent('GET', '/staff/cases/RD-1'));

    expect(JSON.parse(queue.body)).toEqual({ page: 'queue' });
    expect(JSON.parse(page.body)).toEqual({ reference: 'RD-1' });
    expect(registrations()).toBe(1);
  });

  it('leaves the group unloaded for requests elsewhere, a longer name included', async () => {
    const { router, registrations } = routerWithLazyStaff();

    await router.handle(apiEvent('GET', '/'));
    await expect(router.handle(apiEvent('GET', '/staffroom'))).rejects.toBeInstanceOf(NotFoundError);

    expect(registrations()).toBe(0);
  });

  it('answers 404 and 405 under the prefix as for any route', async () => {
    const { router } = routerWithLazyStaff();

    await expect(router.handle(apiEvent('GET', '/staff/nowhere'))).rejects.toBeInstanceOf(NotFoundError);
    await expect(router.handle(apiEvent('DELETE', '/staff'))).rejects.toBeInstanceOf(MethodNotAllowedError);
  });

  it('tries a failed registration again on the next request', async () => {
    let attempts = 0;
    const { router, registrations } = routerWithLazyStaff(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('chunk unreadable');
    });

    await expect(router.handle(apiEvent('GET', '/staff'))).rejects.toThrow('chunk unreadable');
    const queue = await router.handle(apiEvent('GET', '/staff'));

    expect(queue.statusCode).toBe(200);
    expect(registrations()).toBe(1);
  });

  it('registers a group scoped by a pattern only for paths the pattern matches, beside routes of the same prefix', async () => {
    // Prepare: intake at start, the evidence pages under the same prefix loaded on first use
    let registrations = 0;
    const router = new Router()
      .on('POST', '/complaints', async () => json(201, { page: 'intake' }))
      .lazy([/^\/complaints\/[^/]+\/evidence(?:\/|$)/], async (r) => {
        registrations += 1;
        r.on('GET', '/complaints/{reference}/evidence', async (_event, params) => json(200, params));
      });

    // Act
    const intake = await router.handle(apiEvent('POST', '/complaints'));
    const before = registrations;
    const evidence = await router.handle(apiEvent('GET', '/complaints/RD-1/evidence'));

    // Assess
    expect(intake.statusCode).toBe(201);
    expect(before).toBe(0);
    expect(JSON.parse(evidence.body)).toEqual({ reference: 'RD-1' });
    expect(registrations).toBe(1);
  });

  it('answers a path two groups’ scopes hold from the group declared first, whichever loaded first', async () => {
    // Prepare: two groups whose scopes both hold /reports/equality, each with a route for it
    const router = () =>
      new Router()
        .lazy(['/reports/equality'], async (r) => {
          r.on('GET', '/reports/{name}', async () => json(200, { from: 'equality' }));
        })
        .lazy(['/reports'], async (r) => {
          r.on('GET', '/reports/{name}', async () => json(200, { from: 'reports' }));
        });
    const cold = router();
    const warmed = router();
    await warmed.handle(apiEvent('GET', '/reports/other'));

    // Act
    const fromCold = await cold.handle(apiEvent('GET', '/reports/equality'));
    const fromWarmed = await warmed.handle(apiEvent('GET', '/reports/equality'));

    // Assess
    expect(JSON.parse(fromCold.body)).toEqual({ from: 'equality' });
    expect(JSON.parse(fromWarmed.body)).toEqual({ from: 'equality' });
  });
});
