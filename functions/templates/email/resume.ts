import type { EmailTemplateSource } from './layout.js';

/** To the resident: the complaints procedure has restarted after mediation or conciliation, with the new date. */
export const resume: EmailTemplateSource = {
  subject: 'Your complaint has restarted ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

{% if method == 'legal proceedings' %}The legal proceedings about this matter have ended{% else %}The {{ method }} about your complaint has ended{% endif %}, so we have restarted the complaints procedure.

{% if late %}Our response is already late, and we are sorry. {% endif %}We will send you our response by {{ newDate | longDate }}. If we need more time, we will tell you why and give you a new date.
{% if ombudsman %}
{% include "ombudsman-early.txt" %}
{% endif %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>{% if method == 'legal proceedings' %}The legal proceedings about this matter have ended{% else %}The {{ method }} about your complaint has ended{% endif %}, so we have restarted the complaints procedure.</p>
<p>{% if late %}Our response is already late, and we are sorry. {% endif %}We will send you our response by <strong>{{ newDate | longDate }}</strong>. If we need more time, we will tell you why and give you a new date.</p>
{% if ombudsman %}
{% include "ombudsman-early.html" %}
{% endif %}
{% endblock %}
`,
};
