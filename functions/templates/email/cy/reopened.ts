import type { EmailTemplateSource } from '../layout.js';

/** Welsh `reopened` (see `../reopened.ts`). DRAFT: for review by the council's Welsh translation service. */
export const reopened: EmailTemplateSource = {
  subject:
    '{% if wasRedirected %}Byddwn nawr yn delio â’ch neges fel cwyn{% else %}Rydym wedi ailagor eich cwyn{% endif %} ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

{% if wasRedirected %}
Fe ysgrifennon ni atoch o’r blaen i ddweud na fyddem yn delio â’ch neges fel cwyn. Rydym wedi edrych arni eto, a byddwn nawr yn delio â hi fel cwyn.
{% else %}
Rydym wedi ailagor eich cwyn{% if stage == 2 %} yng ngham 2{% endif %} a byddwn yn edrych arni eto.
{% endif %}

Mae {{ handledBy }} yn delio â hi. Byddwn yn anfon ein hymateb atoch erbyn {{ respondBy | longDate }}. Os bydd angen mwy o amser arnom, byddwn yn dweud wrthych pam ac yn rhoi dyddiad newydd i chi.

Os oes gennych unrhyw beth i’w ychwanegu, neu os bydd eich manylion cyswllt yn newid, {{ replyHow }} gan nodi eich cyfeirnod.
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
{% if wasRedirected %}
<p>Fe ysgrifennon ni atoch o’r blaen i ddweud na fyddem yn delio â’ch neges fel cwyn. Rydym wedi edrych arni eto, a byddwn nawr yn delio â hi fel cwyn.</p>
{% else %}
<p>Rydym wedi ailagor eich cwyn{% if stage == 2 %} yng ngham 2{% endif %} a byddwn yn edrych arni eto.</p>
{% endif %}
<p>Mae {{ handledBy }} yn delio â hi. Byddwn yn anfon ein hymateb atoch erbyn <strong>{{ respondBy | longDate }}</strong>. Os bydd angen mwy o amser arnom, byddwn yn dweud wrthych pam ac yn rhoi dyddiad newydd i chi.</p>
<p>Os oes gennych unrhyw beth i’w ychwanegu, neu os bydd eich manylion cyswllt yn newid, {{ replyHow }} gan nodi eich cyfeirnod.</p>
{% endblock %}
`,
};
