import type { EmailTemplateSource } from './layout.js';

/** To the resident: we need more time; the new date, the reason and, where policy says, the ombudsman (the Code §6.4 and §6.5). */
export const extension: EmailTemplateSource = {
  subject: 'We need more time to respond to your complaint ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

We need more time to look into your complaint{% if stage == 2 %} at stage 2{% endif %} properly. We are sorry for the delay.

{% if reason %}
WHY WE NEED MORE TIME

{{ reason | paragraphs }}
{% endif %}

WHEN YOU WILL HEAR FROM US

{% if previousDate == newDate %}We will send you our response by {{ newDate | longDate }}, as we last told you.{% else %}We said we would respond by {{ previousDate | longDate }}. We will now send you our response by {{ newDate | longDate }}.{% endif %}

{% if ombudsman %}
{% include "ombudsman-early.txt" %}
{% endif %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>We need more time to look into your complaint{% if stage == 2 %} at stage 2{% endif %} properly. We are sorry for the delay.</p>
{% if reason %}
<h2>Why we need more time</h2>
{{ reason | paragraphs }}
{% endif %}
<h2>When you will hear from us</h2>
<p>{% if previousDate == newDate %}We will send you our response by <strong>{{ newDate | longDate }}</strong>, as we last told you.{% else %}We said we would respond by {{ previousDate | longDate }}. We will now send you our response by <strong>{{ newDate | longDate }}</strong>.{% endif %}</p>
{% if ombudsman %}
{% include "ombudsman-early.html" %}
{% endif %}
{% endblock %}
`,
};
