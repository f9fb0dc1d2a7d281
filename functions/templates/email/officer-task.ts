import type { EmailTemplateSource } from './layout.js';

/** To an officer: a task, what to do, by when, and a button to the signed task page. */
export const officerTask: EmailTemplateSource = {
  subject: '{{ taskTitle }}: {{ reference }} by {{ dueBy | longDate }}',
  text: `{% extends "staff.txt" %}
{% block body %}
{% include "staff-greeting.txt" %}

{% if reissued %}Here is a new link to your task for {{ reference }}: {{ taskTitle | lower }}. The complaints team sent it because the earlier link may have been lost or stopped working. Links sent before still work until they expire.{% else %}You have a new task: {{ taskTitle | lower }} for {{ reference }}.{% endif %}
{% include "task.txt" %}
{% endblock %}
`,
  html: `{% extends "staff.html" %}
{% block heading %}{{ taskTitle }}{% endblock %}
{% block content %}
{% include "staff-greeting.html" %}
{% if reissued %}<p>Here is a new link to your task for {{ reference }}. The complaints team sent it because the earlier link may have been lost or stopped working. Links sent before still work until they expire.</p>{% else %}<p>You have a new task for {{ reference }}.</p>{% endif %}
{% include "task.html" %}
{% endblock %}
`,
};
