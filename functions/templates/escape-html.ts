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

/**
 * The page around an operational email's HTML built in code (the reconciler's summary, the hold
 * review reminder): the layout the letter templates use, without their branding. `body` is
 * already HTML; the subject is escaped here.
 */
export function operationalEmailHtml(subject: string, body: readonly string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en-GB"><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:20px;font-family:Arial,Helvetica,sans-serif;font-size:19px;line-height:1.5;color:#0b0c0c;background:#ffffff;">',
    ...body,
    '</body></html>',
  ].join('\n');
}
