import type { EmailTemplateSource } from './layout.js';

/** To the resident: their message is outside the complaints procedure; where to go instead (triage's redirect text). */
export const redirect: EmailTemplateSource = {
  subject: 'What happens to your message ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Thank you for contacting {{ council }}. We have recorded your message.
{% if summary %}

WHAT YOU TOLD US

{{ summary | paragraphs }}
{% endif %}

WHAT HAPPENS NEXT

{{ redirect | paragraphs }}
{% include "ombudsman-decision.txt" %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Thank you for contacting {{ council }}. We have recorded your message.</p>
{% if summary %}
<h2>What you told us</h2>
<blockquote>{{ summary | paragraphs }}</blockquote>
{% endif %}
<h2>What happens next</h2>
{{ redirect | paragraphs }}
{% include "ombudsman-decision.html" %}
{% endblock %}
`,
};
