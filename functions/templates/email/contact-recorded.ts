import type { EmailTemplateSource } from './layout.js';

/** To a complainant whose contact is restricted: their message is recorded and read (Dudley MBC Corporate Customer Feedback Procedure, June 2019, §6: never lost). */
export const contactRecorded: EmailTemplateSource = {
  subject: 'We have received your message ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

We received your message on {{ receivedAt | longDate }} and have recorded it.

It has been passed to the senior officer who deals with your contact with us. They will read it and decide whether it needs a reply.
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>We received your message on {{ receivedAt | longDate }} and have recorded it.</p>
<p>It has been passed to the senior officer who deals with your contact with us. They will read it and decide whether it needs a reply.</p>
{% endblock %}
`,
};
