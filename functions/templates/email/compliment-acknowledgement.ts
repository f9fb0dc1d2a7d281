import type { EmailTemplateSource } from './layout.js';

/** To the resident: thank you for the compliment, and who it was passed to (the unitary council’s Customer Feedback Procedure §6.1, Dudley MBC Corporate Customer Feedback Procedure, June 2019, §9). */
export const complimentAcknowledgement: EmailTemplateSource = {
  subject: 'Thank you for your compliment ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Thank you for taking the time to tell us about good service. It means a lot to the people concerned.

{% if recordedOnly %}We have recorded your compliment. Compliments help us learn what we do well.{% else %}{% if sentTo == 'service' %}We have passed your compliment on to the {{ service }} team.{% else %}We have passed your compliment to our complaints team, who will share it with {% if service %}the {{ service }} team{% else %}the people it is about{% endif %}.{% endif %} Compliments are shared with any staff named and help us learn what we do well.{% endif %}

{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Thank you for taking the time to tell us about good service. It means a lot to the people concerned.</p>
<p>{% if recordedOnly %}We have recorded your compliment. Compliments help us learn what we do well.{% else %}{% if sentTo == 'service' %}We have passed your compliment on to the {{ service }} team.{% else %}We have passed your compliment to our complaints team, who will share it with {% if service %}the {{ service }} team{% else %}the people it is about{% endif %}.{% endif %} Compliments are shared with any staff named and help us learn what we do well.{% endif %}</p>
{% endblock %}
`,
};
