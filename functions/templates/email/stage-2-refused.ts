import type { EmailTemplateSource } from './layout.js';

/** To the resident: the stage-2 request will not be reviewed; the reasons and the ombudsman (South Norfolk Council Complaints Policy). */
export const stage2Refused: EmailTemplateSource = {
  subject: 'We will not review your complaint at stage 2 ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Thank you for asking us to review your complaint. We have considered your request carefully and decided not to review it at stage 2.

WHY

{{ reasons | paragraphs }}

This means our stage 1 response is our final response.
{% include "ombudsman-final.txt" %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Thank you for asking us to review your complaint. We have considered your request carefully and decided not to review it at stage 2.</p>
<h2>Why</h2>
{{ reasons | paragraphs }}
<p>This means our stage 1 response is our final response.</p>
{% include "ombudsman-final.html" %}
{% endblock %}
`,
};
