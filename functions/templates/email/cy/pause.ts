import type { EmailTemplateSource } from '../layout.js';

/** Welsh `pause` (see `../pause.ts`); `methodAfterAr` is the method in Welsh, mutated after "ar". DRAFT: for review by the council's Welsh translation service. */
export const pause: EmailTemplateSource = {
  subject:
    "Mae eich cwyn wedi’i hoedi {% if method == 'legal proceedings' %}yn ystod achos cyfreithiol{% else %}tra byddwn yn rhoi cynnig ar {{ methodAfterAr }}{% endif %} ({{ reference }})",
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

{% if method == 'legal proceedings' %}Fel y cytunwyd â chi, rydym wedi oedi’r weithdrefn gwyno tra bo achos cyfreithiol am y mater hwn ar y gweill, felly mae ei therfynau amser wedi’u gohirio.{% else %}Fel y cytunwyd â chi, rydym am roi cynnig ar {{ methodAfterAr }} i ddatrys eich cwyn. Tra bydd hyn yn digwydd, rydym wedi oedi’r weithdrefn gwyno, felly mae ei therfynau amser wedi’u gohirio.{% endif %}

{% if reason %}

{{ reason | paragraphs('en') }}
{% endif %}
{% if reviewBy %}

Byddwn yn holi sut mae pethau’n mynd gyda chi erbyn {{ reviewBy | longDate }}.
{% endif %}

Os ydych am i ni ailgychwyn y weithdrefn gwyno ar unrhyw adeg, {{ replyHow }}. Pan fydd yn ailgychwyn, byddwn yn rhoi’r dyddiad newydd ar gyfer ein hymateb i chi.
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>{% if method == 'legal proceedings' %}Fel y cytunwyd â chi, rydym wedi oedi’r weithdrefn gwyno tra bo achos cyfreithiol am y mater hwn ar y gweill, felly mae ei therfynau amser wedi’u gohirio.{% else %}Fel y cytunwyd â chi, rydym am roi cynnig ar {{ methodAfterAr }} i ddatrys eich cwyn. Tra bydd hyn yn digwydd, rydym wedi oedi’r weithdrefn gwyno, felly mae ei therfynau amser wedi’u gohirio.{% endif %}</p>
{% if reason %}
{{ reason | paragraphs('en') }}
{% endif %}
{% if reviewBy %}
<p>Byddwn yn holi sut mae pethau’n mynd gyda chi erbyn <strong>{{ reviewBy | longDate }}</strong>.</p>
{% endif %}
<p>Os ydych am i ni ailgychwyn y weithdrefn gwyno ar unrhyw adeg, {{ replyHow }}. Pan fydd yn ailgychwyn, byddwn yn rhoi’r dyddiad newydd ar gyfer ein hymateb i chi.</p>
{% endblock %}
`,
};
