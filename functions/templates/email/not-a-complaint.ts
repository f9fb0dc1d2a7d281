import type { EmailTemplateSource } from './layout.js';

/** To the resident: an officer decided this is a service request, not a complaint. */
export const notAComplaint: EmailTemplateSource = {
  subject: 'We are dealing with your request as a service request ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Thank you for contacting {{ council }}. We have looked at what you sent us and we are dealing with it as a request for a service, not as a complaint.

{{ explanation | paragraphs }}
{% if reportUrl %}

You can report problems like this online: {{ reportUrl | httpUrl }}
{% endif %}

If you have already asked us and we did not deal with it, or you are unhappy with how we handled it, {{ replyHow }} and we will treat it as a complaint.
{% include "ombudsman-decision.txt" %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Thank you for contacting {{ council }}. We have looked at what you sent us and we are dealing with it as a request for a service, not as a complaint.</p>
{{ explanation | paragraphs }}
{% if reportUrl %}
<p><a href="{{ reportUrl | httpUrl }}">Report a problem to {{ council }} online</a></p>
{% endif %}
<p>If you have already asked us and we did not deal with it, or you are unhappy with how we handled it, {{ replyHow }} and we will treat it as a complaint.</p>
{% include "ombudsman-decision.html" %}
{% endblock %}
`,
};
