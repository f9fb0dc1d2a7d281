import type { EmailTemplateSource } from '../layout.js';

/** Welsh `stage-2-refused` (see `../stage-2-refused.ts`). DRAFT: for review by the council's Welsh translation service. */
export const stage2Refused: EmailTemplateSource = {
  subject: 'Ni fyddwn yn adolygu eich cwyn yng ngham 2 ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Diolch am ofyn i ni adolygu eich cwyn. Rydym wedi ystyried eich cais yn ofalus ac wedi penderfynu peidio â’i hadolygu yng ngham 2.

PAM

{{ reasons | paragraphs('en') }}

Mae hyn yn golygu mai ein hymateb yng ngham 1 yw ein hymateb terfynol.
{% include "ombudsman-final.txt" %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Diolch am ofyn i ni adolygu eich cwyn. Rydym wedi ystyried eich cais yn ofalus ac wedi penderfynu peidio â’i hadolygu yng ngham 2.</p>
<h2>Pam</h2>
{{ reasons | paragraphs('en') }}
<p>Mae hyn yn golygu mai ein hymateb yng ngham 1 yw ein hymateb terfynol.</p>
{% include "ombudsman-final.html" %}
{% endblock %}
`,
};
