import type { EmailTemplateSource } from './layout.js';

/** To the resident: the reply to a comment, or why it is not ready and when it will be (the unitary council’s Customer Feedback Procedure §6.2). */
export const commentReply: EmailTemplateSource = {
  subject: 'Our reply to your comment ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Thank you for your comment. We use comments like yours to improve our services.

{% if reply %}
{{ reply | paragraphs }}
{% else %}
We cannot give you a full reply yet.

{{ delayReason | paragraphs }}

We will send you a full reply by {{ replyBy | longDate }}.
{% endif %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Thank you for your comment. We use comments like yours to improve our services.</p>
{% if reply %}
{{ reply | paragraphs }}
{% else %}
<p>We cannot give you a full reply yet.</p>
{{ delayReason | paragraphs }}
<p>We will send you a full reply by <strong>{{ replyBy | longDate }}</strong>.</p>
{% endif %}
{% endblock %}
`,
};
