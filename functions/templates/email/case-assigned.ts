import type { EmailTemplateSource } from './layout.js';

/**
 * To the team or officer a case was passed to in the workspace while no task waits on it (the
 * response sent, the time to ask for stage 2 running, or the case closed): it is theirs now, and
 * they hear of it from us rather than by finding it in their queue. A case with a waiting task
 * is handed over with the task's own email instead, unless the task stays with its officer.
 */
export const caseAssigned: EmailTemplateSource = {
  subject: 'Case {{ reference }} has been passed to you',
  text: `{% extends "staff.txt" %}
{% block body %}
{% include "staff-greeting.txt" %}

{{ from }} has passed case {{ reference }} to you in the complaints workspace. {% if taskWith %}Its waiting task stays with {{ taskWith }}, who has its link.{% else %}No task is waiting on it now, so there is nothing to do by a date.{% endif %} If the case needs something from you later, you will get an email with a task.

What it is about

{{ caseKindLabel | capitalize }}{% if stage == 2 %} (stage 2){% endif %}{% if service %} about {{ service }}{% endif %}:
{{ summary | paragraphs }}

Open the case: {{ caseUrl | httpUrl }}
{% endblock %}
`,
  html: `{% extends "staff.html" %}
{% block content %}
{% include "staff-greeting.html" %}
<p>{{ from }} has passed case {{ reference }} to you in the complaints workspace. {% if taskWith %}Its waiting task stays with {{ taskWith }}, who has its link.{% else %}No task is waiting on it now, so there is nothing to do by a date.{% endif %} If the case needs something from you later, you will get an email with a task.</p>
<h2>What it is about</h2>
<p>{{ caseKindLabel | capitalize }}{% if stage == 2 %} (stage 2){% endif %}{% if service %} about {{ service }}{% endif %}:</p>
<blockquote>{{ summary | paragraphs }}</blockquote>
<p><a href="{{ caseUrl | httpUrl }}">Open case {{ reference }}</a></p>
{% endblock %}
`,
};
