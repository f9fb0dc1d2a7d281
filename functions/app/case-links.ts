import { signLink } from '../domain/links.js';

/**
 * How long a case-view link works. Kept apart from the case page's routes so that the steps,
 * which send these links, do not load the web pages (and GOV.UK Frontend) at cold start.
 */
const CASE_LINK_DAYS = 90;

/** A signed link to a case's page for one officer (sent in escalation and alert emails). */
export function caseViewLink(
  baseUrl: string,
  secret: string,
  c: { caseId: string; reference: string },
  officer: string,
  now: Date,
): string {
  const token = signLink(
    {
      c: c.caseId,
      t: 'case',
      a: 'case-view',
      o: officer.toLowerCase(),
      e: Math.floor(now.getTime() / 1000) + CASE_LINK_DAYS * 86_400,
    },
    secret,
  );
  return `${baseUrl}/cases/${encodeURIComponent(c.reference)}?link=${token}`;
}
