import type { EmailTemplateSource } from './layout.js';

/** To the resident: feedback on their representation about a policy (the unitary council’s Customer Feedback Procedure §5.1). */
export const representationFeedback: EmailTemplateSource = {
  subject: 'Feedback on your views about our policy ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Thank you for telling us what you think about our policy. We passed your views to {% if decidedBy %}{{ decidedBy }}{% else %}the people who make the policy{% endif %}, and this is their feedback.

{{ feedback | paragraphs }}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Thank you for telling us what you think about our policy. We passed your views to {% if decidedBy %}{{ decidedBy }}{% else %}the people who make the policy{% endif %}, and this is their feedback.</p>
{{ feedback | paragraphs }}
{% endblock %}
`,
};
