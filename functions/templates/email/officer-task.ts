import type { EmailTemplateSource } from './layout.js';

/** To an officer: a task, what to do, by when, and a button to the signed task page. */
export const officerTask: EmailTemplateSource = {
  subject: '{{ taskTitle }}: {{ reference }} by {{ dueBy | longDate }}',
  text: `{% extends "staff.txt" %}
{% block body %}
{% include "staff-greeting.txt" %}

You have a new task: {{ taskTitle | lower }} for {{ reference }}.
{% include "task.txt" %}
{% endblock %}
`,
  html: `{% extends "staff.html" %}
{% block heading %}{{ taskTitle }}{% endblock %}
{% block content %}
{% include "staff-greeting.html" %}
<p>You have a new task for {{ reference }}.</p>
{% include "task.html" %}
{% endblock %}
`,
};
