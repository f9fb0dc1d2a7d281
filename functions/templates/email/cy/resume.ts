import type { EmailTemplateSource } from '../layout.js';

/** Welsh `resume` (see `../resume.ts`). DRAFT: for review by the council's Welsh translation service. */
export const resume: EmailTemplateSource = {
  subject: 'Mae’r gwaith ar eich cwyn wedi ailgychwyn ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

{% if method == 'legal proceedings' %}Mae’r achos cyfreithiol am y mater hwn wedi dod i ben{% else %}Mae’r {{ methodLabel }} ynghylch eich cwyn wedi dod i ben{% endif %}, felly rydym wedi ailgychwyn y weithdrefn gwyno.

{% if late %}Mae ein hymateb eisoes yn hwyr, ac mae’n ddrwg gennym. {% endif %}Byddwn yn anfon ein hymateb atoch erbyn {{ newDate | longDate }}. Os bydd angen mwy o amser arnom, byddwn yn dweud wrthych pam ac yn rhoi dyddiad newydd i chi.
{% if ombudsman %}
{% include "ombudsman-early.txt" %}
{% endif %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>{% if method == 'legal proceedings' %}Mae’r achos cyfreithiol am y mater hwn wedi dod i ben{% else %}Mae’r {{ methodLabel }} ynghylch eich cwyn wedi dod i ben{% endif %}, felly rydym wedi ailgychwyn y weithdrefn gwyno.</p>
<p>{% if late %}Mae ein hymateb eisoes yn hwyr, ac mae’n ddrwg gennym. {% endif %}Byddwn yn anfon ein hymateb atoch erbyn <strong>{{ newDate | longDate }}</strong>. Os bydd angen mwy o amser arnom, byddwn yn dweud wrthych pam ac yn rhoi dyddiad newydd i chi.</p>
{% if ombudsman %}
{% include "ombudsman-early.html" %}
{% endif %}
{% endblock %}
`,
};
