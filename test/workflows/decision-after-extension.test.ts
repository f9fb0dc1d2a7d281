import { afterEach, describe, expect, it } from 'vitest';
import { adapter, provideAdapters } from '../../functions/app/container.js';
import type { Mailer } from '../../functions/domain/ports.js';
import { ACKNOWLEDGE, RESPOND } from '../support/acknowledge.js';
import { complaintFrom, createHarness, type Harness, RESIDENT } from './harness.js';

/**
 * An extension reopens the respond task under a new id, with a new link emailed to the officer.
 * The officer sends the response through the old link while the workflow is still telling the
 * resident about the extension:
 * through the deployed API entry file and the real ASL on the local engine, on the virtual clock.
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

describe('a response sent while the workflow tells the resident about an extension', () => {
  it('is recorded, or the officer is told to send it again, never that nothing else is needed', async () => {
    // Prepare
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    expect((await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE)).statusCode).toBe(200);
    const link = h.linkFor('respond');
    const mailer = adapter('mailer');
    let responded: Promise<{ statusCode: number; body: string }> | undefined;
    provideAdapters({
      mailer: Object.assign(Object.create(mailer) as Mailer, {
        send: async (...args: Parameters<Mailer['send']>) => {
          // The officer, told the extension is recorded, sends the response at once.
          if (args[0].template === 'extension' && responded === undefined) {
            responded = h.actWithoutFollowing(link, RESPOND);
          }
          return mailer.send(...args);
        },
      }),
    });

    // Act
    const extended = await h.act(link, {
      decision: 'extend',
      extendDays: '5',
      reason: 'Waiting for a contractor',
    });
    const answer = await responded;
    await h.advanceTo(new Date(h.clock.now().getTime() + 10 * 60_000).toISOString());

    // Assess: the response reaches the resident, or the officer is told to send it again: never
    // "You do not need to do anything else" over a response nobody recorded.
    expect(extended.statusCode).toBe(200);
    expect(responded).toBeDefined();
    const recorded = (await h.store.events(c.caseId)).some(
      (e) => e.type === 'task-done' && e.detail?.decision === 'respond',
    );
    if (!recorded) expect(answer?.body).not.toContain('You do not need to do anything else');
    else expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement', 'extension', 'response']);
  });

  it('sends the officer on from the link before the extension to the new one, and the response sent there reaches the resident', async () => {
    // Prepare: extended through the respond link; the task is open again under the link emailed since.
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    expect((await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE)).statusCode).toBe(200);
    const before = h.linkFor('respond');
    const extend = { decision: 'extend', extendDays: '5', reason: 'Waiting for a contractor' };
    expect((await h.act(before, extend)).statusCode).toBe(200);
    await h.advanceTo(new Date(h.clock.now().getTime() + 60_000).toISOString());
    const after = h.linkFor('respond');

    // Act
    const opened = await h.view(before);
    const sentThrough = await h.act(before, RESPOND);
    const responded = await h.act(after, RESPOND);
    await h.advanceTo(new Date(h.clock.now().getTime() + 60_000).toISOString());

    // Assess: the old link says to use the new one (and that what was sent through it was not
    // recorded), never that nothing else is needed; the new one takes the response.
    expect(after).not.toBe(before);
    expect(opened.statusCode).toBe(409);
    expect(opened.body).toContain('This task has a new link');
    expect(sentThrough.statusCode).toBe(409);
    expect(sentThrough.body).toContain('What you sent has not been recorded');
    // Whoever extended it (the officer, or someone in the workspace), never "your extension".
    for (const page of [opened.body, sentThrough.body]) {
      expect(page).toContain('This link was for the task before the deadline was extended.');
    }
    expect(sentThrough.body).not.toContain('your extension');
    expect(sentThrough.body).not.toContain('You do not need to do anything else');
    expect(responded.statusCode).toBe(200);
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement', 'extension', 'response']);
    expect((await h.caseOf(c.caseId)).pendingDecision).toBeUndefined();
  });
});
