import type { EmailTemplateSource } from '../layout.js';

/** Welsh `holding-letter` (see `../holding-letter.ts`). DRAFT: for review by the council's Welsh translation service. */
export const holdingLetter: EmailTemplateSource = {
  subject: '{{ about }}: {% if late %}mae’n hwyr{% else %}gall fod yn hwyr{% endif %} ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Dywedon ni wrthych y byddem yn {{ replyVerb }} erbyn {{ promisedDate | longDate }}. {% if late %}Mae’n ddrwg gennym nad ydym wedi gwneud hynny eto.{% else %}Mae’n ddrwg gennym: efallai na fyddwn yn gallu gwneud hynny.{% endif %}


{% if late %}PAM MAE OEDI{% else %}PAM Y GALL FOD OEDI{% endif %}


{{ reason | paragraphs }}

PRYD Y BYDDWCH YN CLYWED GENNYM

Byddwn nawr yn anfon {{ replyObject }} atoch erbyn {{ newDate | longDate }}. Os bydd yn barod yn gynt, byddwn yn ei anfon yn gynt.
{% if ombudsman %}
{% include "ombudsman-early.txt" %}
{% endif %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Dywedon ni wrthych y byddem yn {{ replyVerb }} erbyn {{ promisedDate | longDate }}. {% if late %}Mae’n ddrwg gennym nad ydym wedi gwneud hynny eto.{% else %}Mae’n ddrwg gennym: efallai na fyddwn yn gallu gwneud hynny.{% endif %}</p>
<h2>{% if late %}Pam mae oedi{% else %}Pam y gall fod oedi{% endif %}</h2>
{{ reason | paragraphs }}
<h2>Pryd y byddwch yn clywed gennym</h2>
<p>Byddwn nawr yn anfon {{ replyObject }} atoch erbyn <strong>{{ newDate | longDate }}</strong>. Os bydd yn barod yn gynt, byddwn yn ei anfon yn gynt.</p>
{% if ombudsman %}
{% include "ombudsman-early.html" %}
{% endif %}
{% endblock %}
`,
};
