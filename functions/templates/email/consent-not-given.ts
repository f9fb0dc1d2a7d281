import type { EmailTemplateSource } from './layout.js';

/** To a representative: without the consent of the person they complain for, we cannot look into the complaint for them (the unitary council’s Customer Feedback Procedure §8.2.3), and when the person can still complain: within the policy's time limit (`timeLimitMonths`), after it only for a good reason. */
export const consentNotGiven: EmailTemplateSource = {
  subject: 'We cannot look into your complaint for {{ personName }} ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

We asked for {{ personName }}’s agreement to you complaining for them. We do not have it, so we cannot look into the complaint on their behalf, and we have closed it.
{% if reasons %}

{{ reasons | paragraphs }}
{% endif %}

{{ personName }} can still complain to us themselves, or agree to you acting for them: quote {{ reference }}.

Complaints should be made within {{ months }} month{{ 's' if months != 1 }} of what they are about happening, or of finding out about it. {% if limitEnds and limitPassed %}For this complaint, that was by {{ limitEnds | longDate }}, so we would look into it only if there is a good reason it was not made sooner.{% elif limitEnds %}For this complaint, that is by {{ limitEnds | longDate }}. After that, we would look into it only if there is a good reason it was not made sooner.{% else %}After that, we look into a complaint only if there is a good reason it was not made sooner.{% endif %}

{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>We asked for {{ personName }}’s agreement to you complaining for them. We do not have it, so we cannot look into the complaint on their behalf, and we have closed it.</p>
{% if reasons %}
{{ reasons | paragraphs }}
{% endif %}
<p>{{ personName }} can still complain to us themselves, or agree to you acting for them: quote {{ reference }}.</p>
<p>Complaints should be made within {{ months }} month{{ 's' if months != 1 }} of what they are about happening, or of finding out about it. {% if limitEnds and limitPassed %}For this complaint, that was by {{ limitEnds | longDate }}, so we would look into it only if there is a good reason it was not made sooner.{% elif limitEnds %}For this complaint, that is by {{ limitEnds | longDate }}. After that, we would look into it only if there is a good reason it was not made sooner.{% else %}After that, we look into a complaint only if there is a good reason it was not made sooner.{% endif %}</p>
{% endblock %}
`,
};
