import type { EmailTemplateSource } from '../layout.js';

/** Welsh `representation-feedback` (see `../representation-feedback.ts`). DRAFT: for review by the council's Welsh translation service. */
export const representationFeedback: EmailTemplateSource = {
  subject: 'Adborth ar eich sylwadau am ein polisi ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Diolch am ddweud wrthym beth yw eich barn am ein polisi. Rhannon ni eich sylwadau {% if decidedBy %}â {{ decidedBy }}{% else %}â’r bobl sy’n gwneud y polisi{% endif %}, a dyma eu hadborth.

{{ feedback | paragraphs('en') }}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Diolch am ddweud wrthym beth yw eich barn am ein polisi. Rhannon ni eich sylwadau {% if decidedBy %}â {{ decidedBy }}{% else %}â’r bobl sy’n gwneud y polisi{% endif %}, a dyma eu hadborth.</p>
{{ feedback | paragraphs('en') }}
{% endblock %}
`,
};
