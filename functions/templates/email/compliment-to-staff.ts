import type { EmailTemplateSource } from './layout.js';

/** To the service and the staff named: a resident's compliment (Dudley MBC Corporate Customer Feedback Procedure, June 2019, §9: part of staff appraisals). */
export const complimentToStaff: EmailTemplateSource = {
  subject: 'A resident has paid you a compliment ({{ reference }})',
  text: `{% extends "staff.txt" %}
{% block body %}
{% include "staff-greeting.txt" %}

A resident has sent a compliment{% if service %} about {{ service }}{% endif %}. Thank you.

{{ compliment | paragraphs }}

Compliments are recorded and form part of staff appraisals.
{% endblock %}
`,
  html: `{% extends "staff.html" %}
{% block content %}
{% include "staff-greeting.html" %}
<p>A resident has sent a compliment{% if service %} about {{ service }}{% endif %}. Thank you.</p>
<blockquote>{{ compliment | paragraphs }}</blockquote>
<p>Compliments are recorded and form part of staff appraisals.</p>
{% endblock %}
`,
};
