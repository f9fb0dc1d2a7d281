import type { EmailTemplateSource } from './layout.js';

/** To an officer: a reminder that a task is due soon, with the same signed link. */
export const officerReminder: EmailTemplateSource = {
  subject: 'Reminder: {{ taskTitle | lower }} for {{ reference }} by {{ dueBy | longDate }}',
  text: `{% extends "staff.txt" %}
{% block body %}
{% include "staff-greeting.txt" %}

This is a reminder. Your task for {{ reference }} is due by {{ dueBy | longDate }}: {{ taskTitle | lower }}. {% if escalatesTo %}If you miss it, {{ escalatesTo }} is told.{% elif holdingLetterAt %}{% if holdingLetterToday %}A letter telling the resident it may be late goes to them by post today, to arrive in time.{% else %}If it is not sent before {{ holdingLetterAt | longDate }}, the resident is sent a letter that day saying it may be late.{% endif %} If you miss the deadline, the service manager is told.{% else %}If you miss it, the service manager is told.{% endif %}
{% include "task.txt" %}
{% endblock %}
`,
  html: `{% extends "staff.html" %}
{% block heading %}Reminder: {{ taskTitle | lower }}{% endblock %}
{% block content %}
{% include "staff-greeting.html" %}
<p>This is a reminder. Your task for {{ reference }} is due by <strong>{{ dueBy | longDate }}</strong>. {% if escalatesTo %}If you miss it, {{ escalatesTo }} is told.{% elif holdingLetterAt %}{% if holdingLetterToday %}A letter telling the resident it may be late goes to them by post today, to arrive in time.{% else %}If it is not sent before {{ holdingLetterAt | longDate }}, the resident is sent a letter that day saying it may be late.{% endif %} If you miss the deadline, the service manager is told.{% else %}If you miss it, the service manager is told.{% endif %}</p>
{% include "task.html" %}
{% endblock %}
`,
};
