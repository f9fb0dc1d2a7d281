import type { EmailTemplateSource } from '../layout.js';

/** Welsh `stage-2-acknowledgement` (see `../stage-2-acknowledgement.ts`). DRAFT: for review by the council's Welsh translation service. */
export const stage2Acknowledgement: EmailTemplateSource = {
  subject: 'Rydym yn adolygu eich cwyn yng ngham 2 ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Diolch am ofyn i ni adolygu eich cwyn. {% if independent %}Bydd {{ handledBy }}, nad oedd yn rhan o gam 1, yn ei hadolygu.{% else %}Bydd {{ handledBy }} yn ei hadolygu.{% endif %}


{% include "understanding.txt" %}
Byddwn yn anfon ein hymateb terfynol atoch erbyn {{ respondBy | longDate }}. Os bydd angen mwy o amser arnom, byddwn yn dweud wrthych pam ac yn rhoi dyddiad newydd i chi.
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Diolch am ofyn i ni adolygu eich cwyn. {% if independent %}Bydd {{ handledBy }}, nad oedd yn rhan o gam 1, yn ei hadolygu.{% else %}Bydd {{ handledBy }} yn ei hadolygu.{% endif %}</p>
{% include "understanding.html" %}
<p>Byddwn yn anfon ein hymateb terfynol atoch erbyn <strong>{{ respondBy | longDate }}</strong>. Os bydd angen mwy o amser arnom, byddwn yn dweud wrthych pam ac yn rhoi dyddiad newydd i chi.</p>
{% endblock %}
`,
};
