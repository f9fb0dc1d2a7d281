import type { EmailTemplateSource } from '../layout.js';

/** Welsh `out-of-time` (see `../out-of-time.ts`). DRAFT: for review by the council's Welsh translation service. */
export const outOfTime: EmailTemplateSource = {
  subject: 'Ni fyddwn yn ymchwilio i’ch cwyn ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Diolch am eich cwyn. Dywedoch wrthym fod yr hyn rydych yn cwyno amdano wedi digwydd, neu eich bod wedi dod i wybod amdano, ar {{ happenedOn | longDateAfterAr }}. Mae ein gweithdrefn gwyno yn gofyn i gwynion gael eu gwneud o fewn {{ months }} mis i hynny, sef erbyn {{ limitEnded | longDate }}.

Rydym wedi ystyried a ddylem ymchwilio iddi beth bynnag, ac wedi penderfynu peidio.

PAM

{{ reasons | paragraphs('en') }}
{% include "ombudsman-final.txt" %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Diolch am eich cwyn. Dywedoch wrthym fod yr hyn rydych yn cwyno amdano wedi digwydd, neu eich bod wedi dod i wybod amdano, ar {{ happenedOn | longDateAfterAr }}. Mae ein gweithdrefn gwyno yn gofyn i gwynion gael eu gwneud o fewn {{ months }} mis i hynny, sef erbyn {{ limitEnded | longDate }}.</p>
<p>Rydym wedi ystyried a ddylem ymchwilio iddi beth bynnag, ac wedi penderfynu peidio.</p>
<h2>Pam</h2>
{{ reasons | paragraphs('en') }}
{% include "ombudsman-final.html" %}
{% endblock %}
`,
};
