import type { EmailTemplateSource } from './layout.js';

/** To the complainant: the social-care complaint is closed with an appropriate and proportionate response (the statutory adult social care complaints procedure). */
export const socialCareClosed: EmailTemplateSource = {
  subject: 'We have finished dealing with your complaint ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

We have now finished dealing with your complaint.

{{ response | paragraphs }}

We believe we have given an appropriate and proportionate response to your complaint, and the {{ signedOffBy }} has agreed that it can now be closed.
{% include "ombudsman-final.txt" %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>We have now finished dealing with your complaint.</p>
{{ response | paragraphs }}
<p>We believe we have given an appropriate and proportionate response to your complaint, and the {{ signedOffBy }} has agreed that it can now be closed.</p>
{% include "ombudsman-final.html" %}
{% endblock %}
`,
};
