import type { EmailTemplateSource } from '../layout.js';

/** Welsh `stage-2-resolved` (see `../stage-2-resolved.ts`). DRAFT: for review by the council's Welsh translation service. */
export const stage2Resolved: EmailTemplateSource = {
  subject: 'Yr hyn a gytunwyd am eich cais am adolygiad ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Diolch am ofyn i ni adolygu eich cwyn. Rydym wedi siarad â chi am pam roeddech yn anfodlon â’n hymateb yng ngham 1, a dyma beth a gytunwyd:

{{ resolution | paragraphs('en') }}

Fel y cytunwyd â chi, ni fydd eich cwyn yn mynd ymlaen i adolygiad cam 2.
{% include "ombudsman-final.txt" %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Diolch am ofyn i ni adolygu eich cwyn. Rydym wedi siarad â chi am pam roeddech yn anfodlon â’n hymateb yng ngham 1, a dyma beth a gytunwyd:</p>
{{ resolution | paragraphs('en') }}
<p>Fel y cytunwyd â chi, ni fydd eich cwyn yn mynd ymlaen i adolygiad cam 2.</p>
{% include "ombudsman-final.html" %}
{% endblock %}
`,
};
