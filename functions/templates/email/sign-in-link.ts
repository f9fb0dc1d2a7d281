import type { EmailTemplateSource } from './layout.js';

/**
 * To the address a resident typed on "Check your complaint", only when it is the case's own: a
 * one-time link to see the case. Nothing from the case is in it but its reference: whoever holds
 * the mailbox already had the receipt.
 */
export const signInLink: EmailTemplateSource = {
  subject: 'Your link to check {{ reference }}',
  text: `{% extends "resident.txt" %}
{% block body %}
Hello,

You asked to check your {{ kindLabel }} with {{ council }}. Use this link to see where it is, the dates and the letters we have sent you:

{{ signInUrl | httpUrl }}

The link works once, for {{ validMinutes }} minutes. If it has expired, ask for a new one on the "Check your complaint" page.

If you did not ask for this, you do not need to do anything: nobody can use the link without this email.
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
<p>Hello,</p>
<p>You asked to check your {{ kindLabel }} with {{ council }}. Use this link to see where it is, the dates and the letters we have sent you.</p>
<p><a href="{{ signInUrl | httpUrl }}" style="display:inline-block;background-color:#00703c;color:#ffffff;font-weight:bold;padding:10px 16px;text-decoration:none;border-bottom:2px solid #002d18;">Check {{ reference }}</a></p>
<p>The link works once, for {{ validMinutes }} minutes. If it has expired, ask for a new one on the &ldquo;Check your complaint&rdquo; page.</p>
<p>If you did not ask for this, you do not need to do anything: nobody can use the link without this email.</p>
{% endblock %}
`,
};
