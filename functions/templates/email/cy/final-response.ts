import type { EmailTemplateSource } from '../layout.js';

/** Welsh `final-response` (see `../final-response.ts`). DRAFT: for review by the council's Welsh translation service. */
export const finalResponse: EmailTemplateSource = {
  subject: 'Ein hymateb terfynol i’ch cwyn ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Diolch am ofyn i ni adolygu eich cwyn. {% if independent %}Mae uwch swyddog nad oedd yn rhan o gam 1{% else %}Mae uwch swyddog{% endif %} wedi edrych arni eto, a dyma ein hymateb terfynol.
{% include "outcome.txt" %}

Dyma ddiwedd gweithdrefn gwyno’r cyngor.
{% include "ombudsman-final.txt" %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Diolch am ofyn i ni adolygu eich cwyn. {% if independent %}Mae uwch swyddog nad oedd yn rhan o gam 1{% else %}Mae uwch swyddog{% endif %} wedi edrych arni eto, a dyma ein hymateb terfynol.</p>
{% include "outcome.html" %}
<p>Dyma ddiwedd gweithdrefn gwyno’r cyngor.</p>
{% include "ombudsman-final.html" %}
{% endblock %}
`,
};
