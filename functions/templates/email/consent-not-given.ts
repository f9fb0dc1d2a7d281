import type { EmailTemplateSource } from './layout.js';

/** To a representative: without the consent of the person they complain for, we cannot look into the complaint for them (the unitary council’s Customer Feedback Procedure §8.2.3). */
export const consentNotGiven: EmailTemplateSource = {
  subject: 'We cannot look into your complaint for {{ personName }} ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

We asked for {{ personName }}’s agreement to you complaining for them. We do not have it, so we cannot look into the complaint on their behalf, and we have closed it.
{% if reasons %}

{{ reasons | paragraphs }}
{% endif %}

{{ personName }} can still complain to us themselves, or agree to you acting for them, at any time: quote {{ reference }}.
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>We asked for {{ personName }}’s agreement to you complaining for them. We do not have it, so we cannot look into the complaint on their behalf, and we have closed it.</p>
{% if reasons %}
{{ reasons | paragraphs }}
{% endif %}
<p>{{ personName }} can still complain to us themselves, or agree to you acting for them, at any time: quote {{ reference }}.</p>
{% endblock %}
`,
};
