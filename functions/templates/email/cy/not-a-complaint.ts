import type { EmailTemplateSource } from '../layout.js';

/** Welsh `not-a-complaint` (see `../not-a-complaint.ts`). DRAFT: for review by the council's Welsh translation service. */
export const notAComplaint: EmailTemplateSource = {
  subject: 'Rydym yn delio â’ch cais fel cais am wasanaeth ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Diolch am gysylltu â ni. Rydym wedi edrych ar yr hyn a anfonoch atom ac rydym yn delio ag ef fel cais am wasanaeth, nid fel cwyn.

{{ explanation | paragraphs }}
{% if reportUrl %}

Gallwch roi gwybod am broblemau fel hyn ar-lein: {{ reportUrl | httpUrl }}
{% endif %}

Os ydych eisoes wedi gofyn i ni ac na wnaethom ddelio ag ef, neu os ydych yn anfodlon â’r ffordd y gwnaethom ei drin, {{ replyHow }} a byddwn yn ei drin fel cwyn.
{% include "ombudsman-decision.txt" %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Diolch am gysylltu â ni. Rydym wedi edrych ar yr hyn a anfonoch atom ac rydym yn delio ag ef fel cais am wasanaeth, nid fel cwyn.</p>
{{ explanation | paragraphs }}
{% if reportUrl %}
<p><a href="{{ reportUrl | httpUrl }}">Rhoi gwybod am broblem ar-lein</a></p>
{% endif %}
<p>Os ydych eisoes wedi gofyn i ni ac na wnaethom ddelio ag ef, neu os ydych yn anfodlon â’r ffordd y gwnaethom ei drin, {{ replyHow }} a byddwn yn ei drin fel cwyn.</p>
{% include "ombudsman-decision.html" %}
{% endblock %}
`,
};
