import type { EmailTemplateSource } from './layout.js';

/** To the resident: the time to ask for a stage 2 review has ended; how to explain a good reason for asking late; the ombudsman. */
export const stage2TooLate: EmailTemplateSource = {
  subject: 'The time to ask for a review of your complaint has ended ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

The last day to ask us for a stage 2 review of your complaint was {{ requestBy | longDate }}. We did not receive a request by then, so our stage 1 response is our final response.
{% if lateBy %}

If there was a good reason you could not ask in time, for example illness, {{ replyHow }} by {{ lateBy | longDate }} and tell us. We will consider it.
{% endif %}
{% include "ombudsman-final.txt" %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>The last day to ask us for a stage 2 review of your complaint was {{ requestBy | longDate }}. We did not receive a request by then, so our stage 1 response is our final response.</p>
{% if lateBy %}
<p>If there was a good reason you could not ask in time, for example illness, {{ replyHow }} by <strong>{{ lateBy | longDate }}</strong> and tell us. We will consider it.</p>
{% endif %}
{% include "ombudsman-final.html" %}
{% endblock %}
`,
};
