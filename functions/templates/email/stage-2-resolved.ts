import type { EmailTemplateSource } from './layout.js';

/** To the resident: their dissatisfaction with stage 1 was dealt with before stage 2, as agreed with them (South Norfolk Council Complaints Policy); the Ombudsman. */
export const stage2Resolved: EmailTemplateSource = {
  subject: 'What we agreed about your request for a review ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Thank you for asking us to review your complaint. We have talked with you about why you were unhappy with our stage 1 response, and this is what we agreed:

{{ resolution | paragraphs }}

As agreed with you, your complaint will not go to a stage 2 review.
{% include "ombudsman-final.txt" %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Thank you for asking us to review your complaint. We have talked with you about why you were unhappy with our stage 1 response, and this is what we agreed:</p>
{{ resolution | paragraphs }}
<p>As agreed with you, your complaint will not go to a stage 2 review.</p>
{% include "ombudsman-final.html" %}
{% endblock %}
`,
};
