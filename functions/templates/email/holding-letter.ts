import type { EmailTemplateSource } from './layout.js';

/** To the resident: the response deadline has passed; an apology and a new date (Dudley MBC Corporate Customer Feedback Procedure, June 2019, §5: holding letter). */
export const holdingLetter: EmailTemplateSource = {
  subject: 'We are sorry: our response to your complaint is delayed ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

We are sorry that we have not sent you our {% if stage == 2 %}stage 2 {% endif %}response by {{ missedDate | longDate }}, as we said we would.
{% if reason %}

{{ reason | paragraphs }}
{% endif %}

We will now send you our response by {{ newDate | longDate }}. The manager of the service has been told about the delay.
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>We are sorry that we have not sent you our {% if stage == 2 %}stage 2 {% endif %}response by {{ missedDate | longDate }}, as we said we would.</p>
{% if reason %}
{{ reason | paragraphs }}
{% endif %}
<p>We will now send you our response by <strong>{{ newDate | longDate }}</strong>. The manager of the service has been told about the delay.</p>
{% endblock %}
`,
};
