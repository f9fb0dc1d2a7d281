import type { EmailTemplateSource } from './layout.js';

/** To the policy owner (often councillors): a representation about a policy that needs feedback (the unitary council’s Customer Feedback Procedure §5.1). */
export const representationToPolicyOwner: EmailTemplateSource = {
  subject: 'A resident has made a representation about policy ({{ reference }})',
  text: `{% extends "staff.txt" %}
{% block body %}
{% include "staff-greeting.txt" %}

A resident has raised a concern about a policy or service criteria{% if service %} for {{ service }}{% endif %}. You are receiving it as the policy owner.

{{ representation | paragraphs }}

The resident must receive feedback by {{ feedbackBy | longDate }}.
{% if taskUrl %}

Give your feedback: {{ taskUrl | httpUrl }}
{% endif %}
{% endblock %}
`,
  html: `{% extends "staff.html" %}
{% block content %}
{% include "staff-greeting.html" %}
<p>A resident has raised a concern about a policy or service criteria{% if service %} for {{ service }}{% endif %}. You are receiving it as the policy owner.</p>
<blockquote>{{ representation | paragraphs }}</blockquote>
<p>The resident must receive feedback by <strong>{{ feedbackBy | longDate }}</strong>.</p>
{% if taskUrl %}
<p><a href="{{ taskUrl | httpUrl }}" style="display:inline-block;background-color:#00703c;color:#ffffff;font-weight:bold;padding:10px 16px;text-decoration:none;border-bottom:2px solid #002d18;">Give feedback on {{ reference }}</a></p>
{% endif %}
{% endblock %}
`,
};
