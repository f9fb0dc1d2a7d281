import type { EmailTemplateSource } from '../layout.js';

/** Welsh `extension` (see `../extension.ts`). DRAFT: for review by the council's Welsh translation service. */
export const extension: EmailTemplateSource = {
  subject: 'Mae angen mwy o amser arnom i ymateb i’ch cwyn ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Mae angen mwy o amser arnom i ymchwilio’n iawn i’ch cwyn{% if stage == 2 %} yng ngham 2{% endif %}. Mae’n ddrwg gennym am yr oedi.

{% if reason %}
PAM MAE ANGEN MWY O AMSER ARNOM

{{ reason | paragraphs('en') }}
{% endif %}

PRYD Y BYDDWCH YN CLYWED GENNYM

{% if previousDate == newDate %}Byddwn yn anfon ein hymateb atoch erbyn {{ newDate | longDate }}, fel y dywedon ni wrthych ddiwethaf.{% else %}Dywedon ni y byddem yn ymateb erbyn {{ previousDate | longDate }}. Byddwn nawr yn anfon ein hymateb atoch erbyn {{ newDate | longDate }}.{% endif %}

{% if ombudsman %}
{% include "ombudsman-early.txt" %}
{% endif %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Mae angen mwy o amser arnom i ymchwilio’n iawn i’ch cwyn{% if stage == 2 %} yng ngham 2{% endif %}. Mae’n ddrwg gennym am yr oedi.</p>
{% if reason %}
<h2>Pam mae angen mwy o amser arnom</h2>
{{ reason | paragraphs('en') }}
{% endif %}
<h2>Pryd y byddwch yn clywed gennym</h2>
<p>{% if previousDate == newDate %}Byddwn yn anfon ein hymateb atoch erbyn <strong>{{ newDate | longDate }}</strong>, fel y dywedon ni wrthych ddiwethaf.{% else %}Dywedon ni y byddem yn ymateb erbyn {{ previousDate | longDate }}. Byddwn nawr yn anfon ein hymateb atoch erbyn <strong>{{ newDate | longDate }}</strong>.{% endif %}</p>
{% if ombudsman %}
{% include "ombudsman-early.html" %}
{% endif %}
{% endblock %}
`,
};
