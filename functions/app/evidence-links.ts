import type { CaseRecord } from '../domain/case.js';
import { caseLanguage } from '../domain/language.js';
import { signLink } from '../domain/links.js';

/*
 * The resident's signed link to a case's evidence page. Apart from the routes so that the
 * composition root (loaded by every function) does not load the pages.
 */

/** Task name in an evidence link's claims. */
export const EVIDENCE_ACTION = 'evidence-upload';
/** How long the link on the confirmation page lets a resident add files. */
const EVIDENCE_LINK_DAYS = 30;

/**
 * The signed address of a case's evidence page, given to the resident on the confirmation page
 * (and in the JSON answer). References are sequential, so the reference alone opens nothing.
 * A Welsh case's link carries `&lang=cy`, so that the page saying it has expired is Welsh too.
 */
export function evidenceLink(
  secret: string,
  c: Pick<CaseRecord, 'caseId' | 'reference'> & Partial<Pick<CaseRecord, 'language'>>,
  now: Date,
  basePath = '',
): string {
  const token = signLink(
    {
      c: c.caseId,
      t: 'evidence',
      a: EVIDENCE_ACTION,
      o: 'resident',
      e: Math.floor(now.getTime() / 1000) + EVIDENCE_LINK_DAYS * 86_400,
    },
    secret,
  );
  const lang = caseLanguage(c) === 'en' ? '' : `&lang=${caseLanguage(c)}`;
  return `${basePath}/complaints/${encodeURIComponent(c.reference)}/evidence?link=${token}${lang}`;
}
