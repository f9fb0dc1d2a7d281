import type { EmailTemplateSource } from './layout.js';

/** To the resident: the stage-2 (final) response, with the LGSCO or the Housing Ombudsman. */
export const finalResponse: EmailTemplateSource = {
  subject: 'Our final response to your complaint ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Thank you for asking us to review your complaint. {% if independent %}A senior officer who was not involved at stage 1{% else %}A senior officer{% endif %} has looked at it again, and this is our final response.
{% include "outcome.txt" %}

This is the end of {{ council }}'s complaints procedure.
{% include "ombudsman-final.txt" %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Thank you for asking us to review your complaint. {% if independent %}A senior officer who was not involved at stage 1{% else %}A senior officer{% endif %} has looked at it again, and this is our final response.</p>
{% include "outcome.html" %}
<p>This is the end of {{ council }}'s complaints procedure.</p>
{% include "ombudsman-final.html" %}
{% endblock %}
`,
};
