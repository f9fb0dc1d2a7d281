import type { EmailTemplateSource } from '../layout.js';

/** Welsh `acknowledgement` (see `../acknowledgement.ts`). DRAFT: for review by the council's Welsh translation service. */
export const acknowledgement: EmailTemplateSource = {
  subject: 'Rydym yn ymchwilio i’ch cwyn ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Diolch am eich cwyn. Mae {{ handledBy }} yn ymchwilio iddi.

{% include "understanding.txt" %}
{% if agreeTimescale %}
Byddwn yn siarad â chi am eich cwyn ac yn cytuno â chi sut y byddwn yn delio â hi a phryd y cewch ein hymateb. Yna byddwn yn ysgrifennu atoch gyda’r hyn a gytunwyd.
{% else %}
{% if respondByPassed %}Dylem fod wedi anfon ein hymateb atoch erbyn {{ respondBy | longDate }}, ac mae’n ddrwg gennym nad ydym wedi gwneud hynny. Byddwn yn ysgrifennu atoch ar wahân gyda’r dyddiad newydd.{% else %}Byddwn yn anfon ein hymateb atoch erbyn {{ respondBy | longDate }}. Os bydd angen mwy o amser arnom, byddwn yn dweud wrthych pam ac yn rhoi dyddiad newydd i chi.{% endif %}

{% endif %}

Os oes gennych unrhyw beth i’w ychwanegu, neu os bydd eich manylion cyswllt yn newid, {{ replyHow }} gan nodi eich cyfeirnod.
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Diolch am eich cwyn. Mae {{ handledBy }} yn ymchwilio iddi.</p>
{% include "understanding.html" %}
{% if agreeTimescale %}
<p>Byddwn yn siarad â chi am eich cwyn ac yn cytuno â chi sut y byddwn yn delio â hi a phryd y cewch ein hymateb. Yna byddwn yn ysgrifennu atoch gyda’r hyn a gytunwyd.</p>
{% else %}
<p>{% if respondByPassed %}Dylem fod wedi anfon ein hymateb atoch erbyn {{ respondBy | longDate }}, ac mae’n ddrwg gennym nad ydym wedi gwneud hynny. Byddwn yn ysgrifennu atoch ar wahân gyda’r dyddiad newydd.{% else %}Byddwn yn anfon ein hymateb atoch erbyn <strong>{{ respondBy | longDate }}</strong>. Os bydd angen mwy o amser arnom, byddwn yn dweud wrthych pam ac yn rhoi dyddiad newydd i chi.{% endif %}</p>
{% endif %}
<p>Os oes gennych unrhyw beth i’w ychwanegu, neu os bydd eich manylion cyswllt yn newid, {{ replyHow }} gan nodi eich cyfeirnod.</p>
{% endblock %}
`,
};
