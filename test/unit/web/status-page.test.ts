import { describe, expect, it } from 'vitest';
import { statusPage } from '../../../functions/web/resident-pages.js';
import { sampleCase, sampleCaseToldLater, samplePolicy } from './sample-data.js';

/** The page's words, without its markup. */
const words = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the resident’s status page', () => {
  it('gives as the response’s due date the later one a holding letter has given, not the deadline it put off', () => {
    // The deadline, Friday 19 June 2026, passed; the holding letter told the resident 26 June.
    const record = sampleCaseToldLater;

    const page = words(statusPage({ policy: samplePolicy, record, events: [], csrf: 'c', grounds: [] }));

    expect(page).toContain('Response due Friday 26 June 2026');
    expect(page).not.toContain('19 June 2026');
  });

  it('gives the deadline itself while no holding letter has put it off', () => {
    const page = words(
      statusPage({ policy: samplePolicy, record: sampleCase, events: [], csrf: 'c', grounds: [] }),
    );

    expect(page).toContain('Response due Friday 19 June 2026');
  });
});
