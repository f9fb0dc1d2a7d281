/**
 * Text made safe inside HTML, element content and quoted attributes alike: the five characters
 * that can end either escaped. For the few pieces of HTML built in code rather than by a
 * template (which escapes by itself): a table cell's link, the operational emails.
 */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
