import type { EmailTemplateSource } from './layout.js';

/** To the resident: the procedure is paused while we try mediation or conciliation (the unitary council’s Customer Feedback Procedure §2.8). */
export const pause: EmailTemplateSource = {
  subject:
    "Your complaint is paused {% if method == 'legal proceedings' %}during legal proceedings{% else %}while we try {{ method }}{% endif %} ({{ reference }})",
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

{% if method == 'legal proceedings' %}As agreed with you, we have paused the complaints procedure while legal proceedings about this matter are under way, so its time limits are on hold.{% else %}As agreed with you, we are going to try {{ method }} to resolve your complaint. While this happens, we have paused the complaints procedure, so its time limits are on hold.{% endif %}

{% if reason %}

{{ reason | paragraphs }}
{% endif %}
{% if reviewBy %}

We will check with you how things are going by {{ reviewBy | longDate }}.
{% endif %}

If you want us to restart the complaints procedure at any time, {{ replyHow }}. When it restarts, we will tell you the new date for our response.
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>{% if method == 'legal proceedings' %}As agreed with you, we have paused the complaints procedure while legal proceedings about this matter are under way, so its time limits are on hold.{% else %}As agreed with you, we are going to try {{ method }} to resolve your complaint. While this happens, we have paused the complaints procedure, so its time limits are on hold.{% endif %}</p>
{% if reason %}
{{ reason | paragraphs }}
{% endif %}
{% if reviewBy %}
<p>We will check with you how things are going by <strong>{{ reviewBy | longDate }}</strong>.</p>
{% endif %}
<p>If you want us to restart the complaints procedure at any time, {{ replyHow }}. When it restarts, we will tell you the new date for our response.</p>
{% endblock %}
`,
};
