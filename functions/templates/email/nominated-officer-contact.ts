import type { EmailTemplateSource } from './layout.js';

/** To the nominated officer: new contact from a complainant whose contact is restricted (Dudley MBC Corporate Customer Feedback Procedure, June 2019, §6). */
export const nominatedOfficerContact: EmailTemplateSource = {
  subject: 'New contact from a restricted complainant ({{ reference }})',
  text: `{% extends "staff.txt" %}
{% block body %}
{% include "staff-greeting.txt" %}

Someone whose contact you have restricted got in touch on {{ receivedAt | longDate }}. It has been recorded, and the sender has been told you will read it.

{{ summary | paragraphs }}

Please decide whether it needs a reply, or raises a new matter that should be dealt with in the usual way.
{% if caseUrl %}

Open the case: {{ caseUrl | httpUrl }}
{% endif %}
{% endblock %}
`,
  html: `{% extends "staff.html" %}
{% block content %}
{% include "staff-greeting.html" %}
<p>Someone whose contact you have restricted got in touch on {{ receivedAt | longDate }}. It has been recorded, and the sender has been told you will read it.</p>
<blockquote>{{ summary | paragraphs }}</blockquote>
<p>Please decide whether it needs a reply, or raises a new matter that should be dealt with in the usual way.</p>
{% if caseUrl %}
<p><a href="{{ caseUrl | httpUrl }}">Open case {{ reference }}</a></p>
{% endif %}
{% endblock %}
`,
};
