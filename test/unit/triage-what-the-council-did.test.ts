import { describe, expect, it } from 'vitest';
import { triage } from '../../functions/domain/triage.js';
import { policyExcludingEverything } from '../support/policy-fixture.js';

function routeOf(summary: string): string {
  return triage({ kind: 'complaint', summary, anonymous: false }, policyExcludingEverything()).route;
}

describe('triage of what the council or its contractors did', () => {
  // A leak the council's own contractor is said to have caused is a complaint about the council,
  // not a first report for the repairs line.
  it.each([
    'Since the workmen came my ceiling has been leaking.',
    'The leak in my ceiling started after your contractor replaced the bathroom.',
    'The roof has been leaking since your roofers were here.',
  ])('handles a leak told as caused by the council’s contractor: %s', (summary) => {
    expect(routeOf(summary)).toBe('handle');
  });
});

describe('triage of an officer or contractor who did not come', () => {
  // An appointment missed, told in the past as residents write it ("never turned up").
  it.each([
    'My boiler is broken and the engineer never turned up.',
    'The boiler is broken and the heating engineer never showed up.',
    'My boiler is broken and the engineer never came.',
  ])('handles a repair whose appointment was missed: %s', (summary) => {
    expect(routeOf(summary)).toBe('handle');
  });
});

describe('triage of a first report that mentions an appointment still to come', () => {
  // A first report that says when the engineer is due, or what the resident refuses to do, is
  // not yet a complaint: only what was meant to happen and did not, or a refusal by the council.
  it.each([
    'My boiler is not working, the engineer is supposed to come tomorrow.',
    'The heating is not working. An engineer is meant to be coming on Tuesday.',
    'Street light outside 12 High St not working, I refuse to walk home in the dark.',
  ])('sends a first report to the service: %s', (summary) => {
    expect(routeOf(summary)).toBe('redirect');
  });
});

describe('triage of a ceiling leak that has hurt someone', () => {
  // An injury from a leak (an electric shock), told without a body part or a hospital, makes it
  // a complaint, not a repair to report.
  it('handles a leak that gave a child an electric shock', () => {
    expect(
      routeOf(
        'The ceiling in my kitchen is leaking and water got into the electrics and my son got a shock.',
      ),
    ).toBe('handle');
  });
});

describe('triage of falls told in everyday words', () => {
  // Each tells of a fall or an injury that happened, so each is a complaint, not a pothole or a
  // street light to report.
  it.each([
    'The pothole on Mill Road caused me to fall.',
    'Please fix the pothole, it is dangerous. I have already fallen in it once.',
    'The street light outside number 4 is not working and my mum tripped when walking home.',
    'There is a pothole on Mill Road. I hit it on my bike and I am now bruised.',
  ])('handles a fall that happened: %s', (summary) => {
    expect(routeOf(summary)).toBe('handle');
  });
});

describe('triage of a first report about what someone else did', () => {
  // A refusal or a mess that is someone else's (a neighbour, a dog owner, a private builder) is
  // not the council's failing: the report goes to the service.
  it.each([
    'Someone has fly-tipped a mattress; the builders left it there last night.',
    'The dog fouling on Mill Lane is terrible; the owners refuse to pick up after their dogs.',
    "My neighbour's tree is blocking the street light, he refused to cut it back.",
    'The street light is not working. My neighbour refused to report it so I am.',
  ])('sends it to the service: %s', (summary) => {
    expect(routeOf(summary)).toBe('redirect');
  });
});
