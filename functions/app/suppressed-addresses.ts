import type { CaseRecord } from '../domain/case.js';
import type { CaseStore, SuppressionList } from '../domain/ports.js';

/**
 * What an erasure or a retention expiry does with the resident's address on the email service's
 * suppression list. SES puts an address that bounced or complained on the account's list and keeps
 * it there until it is removed. The list is one per AWS account: removing an address lets every
 * sender of the account mail it again, the council's other systems too. So Redress removes it only
 * where the deployment says so (`redress:forgetSuppressedAddresses`, which gives the functions the
 * list): without it, `suppressions` is undefined and the list is left as it is.
 *
 * Kept while another case of theirs is kept (email still goes to it there, and a bounce would only
 * put it back): the last erasure or expiry of theirs is the one to remove it.
 */
export interface SuppressedAddressDeps {
  store: Pick<CaseStore, 'byComplainant'>;
  /** The account's suppression list, where the deployment lets Redress remove addresses from it. */
  suppressions?: SuppressionList | undefined;
}

/** What the audit log (or the expiry's log line) says where the deployment leaves the list alone. */
export const SUPPRESSION_LIST_LEFT_ALONE =
  'email address left on the suppression list if it is there: this deployment does not change the list';

/** Asks the email service to forget the address of `record`'s complainant: what the audit log says of it. */
export async function forgetSuppressedAddress(
  deps: SuppressedAddressDeps,
  record: Pick<CaseRecord, 'caseId' | 'complainant'>,
): Promise<string> {
  const email = record.complainant?.email?.trim();
  if (!email) return 'no email address';
  if (!deps.suppressions) return SUPPRESSION_LIST_LEFT_ALONE;
  const others = (await deps.store.byComplainant(email)).filter(
    (c) => c.caseId !== record.caseId && !c.erasure && !c.erasureStarted,
  );
  if (others.length > 0) return 'email address kept on the suppression list for their other cases';
  return (await deps.suppressions.forget(email))
    ? 'email address removed from the suppression list'
    : 'email address not on the suppression list';
}
