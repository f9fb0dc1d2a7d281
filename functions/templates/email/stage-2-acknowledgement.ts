import type { EmailTemplateSource } from './layout.js';

/** To the resident: their stage-2 request is accepted, who is reviewing it and when to expect the response. */
export const stage2Acknowledgement: EmailTemplateSource = {
  subject: 'We are reviewing your complaint at stage 2 ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Thank you for asking us to review your complaint. {% if independent %}{{ handledBy }}, who was not involved at stage 1, will review it.{% else %}{{ handledBy }} will review it.{% endif %}


{% include "understanding.txt" %}
We will send you our final response by {{ respondBy | longDate }}. If we need more time, we will tell you why and give you a new date.
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Thank you for asking us to review your complaint. {% if independent %}{{ handledBy }}, who was not involved at stage 1, will review it.{% else %}{{ handledBy }} will review it.{% endif %}</p>
{% include "understanding.html" %}
<p>We will send you our final response by <strong>{{ respondBy | longDate }}</strong>. If we need more time, we will tell you why and give you a new date.</p>
{% endblock %}
`,
};
