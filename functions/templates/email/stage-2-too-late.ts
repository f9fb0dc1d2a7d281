import type { EmailTemplateSource } from './layout.js';

/** To the resident: the stage-2 request came after the window closed; how to explain a good reason; the ombudsman. */
export const stage2TooLate: EmailTemplateSource = {
  subject: 'Your request for a stage 2 review came too late ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Thank you for asking us to review your complaint. The last day to ask for a stage 2 review was {{ requestBy | longDate }}, so we cannot review it.

If there was a good reason you could not ask in time, for example illness, {{ replyHow }} and tell us. We will consider it.

Otherwise, our stage 1 response is our final response.
{% include "ombudsman-final.txt" %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Thank you for asking us to review your complaint. The last day to ask for a stage 2 review was {{ requestBy | longDate }}, so we cannot review it.</p>
<p>If there was a good reason you could not ask in time, for example illness, {{ replyHow }} and tell us. We will consider it.</p>
<p>Otherwise, our stage 1 response is our final response.</p>
{% include "ombudsman-final.html" %}
{% endblock %}
`,
};
