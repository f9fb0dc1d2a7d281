import type { EmailTemplateSource } from './layout.js';

/**
 * To the mailbox responsible for a case: a letter to a resident without email (or who asked for
 * post) is ready; print it and post it. The link opens the PDF stored with the case.
 */
export const printAndPost: EmailTemplateSource = {
  subject: 'Print and post: {{ title }} ({{ reference }})',
  text: `{% extends "staff.txt" %}
{% block body %}
{% include "staff-greeting.txt" %}

A letter to a resident is ready. {% if askedForPost %}They asked for letters by post{% else %}They gave us no email address{% endif %}, so please print it and post it today, so that it arrives before the dates it gives.

{% if unprintable %}
CHECK IT BEFORE YOU POST IT

Some words in the letter print as empty boxes, because our letter fonts do not have their characters: {{ unprintable }}.
Open the letter and find the boxes. Write those words in by hand as they are shown in this email, or contact the resident another way and record on the case how you did.

{% endif %}
{% if accessibilityNeeds %}
THEY ASKED FOR

{{ accessibilityNeeds | paragraphs }}
Print and send the letter the way they asked (for example in large print), or contact them the way they asked instead.

{% endif %}
THE LETTER

{{ title }}
Open the letter (PDF): {{ letterUrl | httpUrl }}

SEND IT TO

{% if addressLines.length %}
{% if residentName %}{{ residentName }}
{% endif %}
{% for line in addressLines %}
{{ line }}
{% endfor %}
{% else %}
We have no postal address for {{ residentName or 'this resident' }}. {% if phone %}Phone them on {{ phone }}, read them the letter and ask for an address to post it to.{% else %}Record how you gave them the letter on the case.{% endif %}
{% endif %}
{% if phone %}


Phone: {{ phone }}
{% endif %}

The case: {{ caseUrl | httpUrl }}
{% endblock %}
`,
  html: `{% extends "staff.html" %}
{% block content %}
{% include "staff-greeting.html" %}
<p>A letter to a resident is ready. {% if askedForPost %}They asked for letters by post{% else %}They gave us no email address{% endif %}, so please print it and post it today, so that it arrives before the dates it gives.</p>
{% if unprintable %}
<h2>Check it before you post it</h2>
<p>Some words in the letter print as empty boxes, because our letter fonts do not have their characters: {{ unprintable }}.</p>
<p>Open the letter and find the boxes. Write those words in by hand as they are shown in this email, or contact the resident another way and record on the case how you did.</p>
{% endif %}
{% if accessibilityNeeds %}
<h2>They asked for</h2>
<blockquote>{{ accessibilityNeeds | paragraphs }}</blockquote>
<p>Print and send the letter the way they asked (for example in large print), or contact them the way they asked instead.</p>
{% endif %}
<h2>The letter</h2>
<p>{{ title }}</p>
<p><a href="{{ letterUrl | httpUrl }}" style="display:inline-block;background-color:#00703c;color:#ffffff;font-weight:bold;padding:10px 16px;text-decoration:none;border-bottom:2px solid #002d18;">Open the letter (PDF, {{ reference }})</a></p>
<h2>Send it to</h2>
{% if addressLines.length %}
<p>{% if residentName %}{{ residentName }}<br>{% endif %}{% for line in addressLines %}{{ line }}{% if not loop.last %}<br>{% endif %}{% endfor %}</p>
{% else %}
<p>We have no postal address for {{ residentName or 'this resident' }}. {% if phone %}Phone them on {{ phone }}, read them the letter and ask for an address to post it to.{% else %}Record how you gave them the letter on the case.{% endif %}</p>
{% endif %}
{% if phone %}
<p>Phone: <a href="{{ phone | tel }}">{{ phone }}</a></p>
{% endif %}
<p><a href="{{ caseUrl | httpUrl }}">Open the case</a></p>
{% endblock %}
`,
};
