import { createHmac, randomUUID } from 'node:crypto';
import { londonDate } from '../domain/calendar.js';
import type { CaseRecord } from '../domain/case.js';
import { EQUALITY_LINK_DAYS } from '../domain/equality.js';
import { caseLanguage } from '../domain/language.js';
import { signToken } from '../domain/links.js';
import { BASE_PATH } from '../web/render.js';
import { withLanguage } from '../web/resident-pages.js';

/*
 * The link to the equality questions, apart from their pages (`equality-routes.ts`): the
 * confirmation page offers it, and the API's start need not load the questions' pages, their
 * report and its periods to make it.
 */

/** What an equality link's token is for: a token signed for anything else is refused. */
export const EQUALITY_LINK_PURPOSE = 'equality-monitoring';

/**
 * The address of the questions for one piece of feedback just received, in the case's language
 * (`?lang=cy`: outside the signed token, which names neither the case nor the resident).
 */
export async function equalityPath(
  deps: { now: () => Date; linkSecrets: () => Promise<string[]> },
  record: CaseRecord,
): Promise<string> {
  const [secret] = await deps.linkSecrets();
  const token = signToken(
    EQUALITY_LINK_PURPOSE,
    {
      n: randomUUID(),
      // The same for every link to this feedback's questions, and naming nothing: answered once.
      g: createHmac('sha256', secret as string)
        .update(`equality-given:${record.caseId}`)
        .digest('base64url'),
      m: londonDate(record.receivedAt).slice(0, 7),
      k: record.kind,
      e: Math.floor(deps.now().getTime() / 1000) + EQUALITY_LINK_DAYS * 86_400,
    },
    secret as string,
  );
  return withLanguage(`${BASE_PATH}/equality/${token}`, caseLanguage(record));
}
