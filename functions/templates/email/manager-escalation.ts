import type { EmailTemplateSource } from './layout.js';

/** To the service manager: a deadline was missed, which one, and who has the case. */
export const managerEscalation: EmailTemplateSource = {
  subject: 'Deadline missed for {{ reference }}: {{ missedLabel }}',
  text: `{% extends "staff.txt" %}
{% block body %}
{% include "staff-greeting.txt" %}

The deadline to {{ missedLabel }} for {{ reference }} was {{ missedAt | longDate }}, and it has passed.

{% if assignedTo %}The case is with {{ assignedTo }}.{% else %}The case has not been assigned to an officer.{% endif %}{% if service %} Service: {{ service }}.{% endif %}


What it is about:
{{ summary | paragraphs }}

Please make sure it is dealt with today.{% if residentTold %} The resident has been told about the delay.{% endif %}

{% if caseUrl %}

Open the case: {{ caseUrl | httpUrl }}
{% endif %}
{% endblock %}
`,
  html: `{% extends "staff.html" %}
{% block heading %}Deadline missed: {{ missedLabel }}{% endblock %}
{% block content %}
{% include "staff-greeting.html" %}
<p>The deadline to {{ missedLabel }} for {{ reference }} was <strong>{{ missedAt | longDate }}</strong>, and it has passed.</p>
<p>{% if assignedTo %}The case is with {{ assignedTo }}.{% else %}The case has not been assigned to an officer.{% endif %}{% if service %} Service: {{ service }}.{% endif %}</p>
<h2>What it is about</h2>
<blockquote>{{ summary | paragraphs }}</blockquote>
<p>Please make sure it is dealt with today.{% if residentTold %} The resident has been told about the delay.{% endif %}</p>
{% if caseUrl %}
<p><a href="{{ caseUrl | httpUrl }}">Open case {{ reference }}</a></p>
{% endif %}
{% endblock %}
`,
};
