import type { EmailTemplateSource } from '../layout.js';

/** Welsh `social-care-closed` (see `../social-care-closed.ts`). DRAFT: for review by the council's Welsh translation service. */
export const socialCareClosed: EmailTemplateSource = {
  subject: 'Rydym wedi gorffen delio â’ch cwyn ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Rydym bellach wedi gorffen delio â’ch cwyn.

{{ response | paragraphs('en') }}

Credwn ein bod wedi rhoi ymateb priodol a chymesur i’ch cwyn, ac mae’r {{ signedOffBy }} wedi cytuno y gellir ei chau yn awr.
{% include "ombudsman-final.txt" %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Rydym bellach wedi gorffen delio â’ch cwyn.</p>
{{ response | paragraphs('en') }}
<p>Credwn ein bod wedi rhoi ymateb priodol a chymesur i’ch cwyn, ac mae’r {{ signedOffBy }} wedi cytuno y gellir ei chau yn awr.</p>
{% include "ombudsman-final.html" %}
{% endblock %}
`,
};
