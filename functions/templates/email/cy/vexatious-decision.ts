import type { EmailTemplateSource } from '../layout.js';

/** Welsh `vexatious-decision` (see `../vexatious-decision.ts`). DRAFT: for review by the council's Welsh translation service. */
export const vexatiousDecision: EmailTemplateSource = {
  subject: 'Sut y byddwn yn delio â’ch cysylltiad â ni o hyn ymlaen ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Rydym yn ysgrifennu atoch am y ffordd rydych wedi bod yn cysylltu â ni ynghylch eich cwyn.

EIN PENDERFYNIAD

{{ decision | paragraphs('en' if byOfficer else '') }}

BETH MAE HYN YN EI OLYGU

{% if closes %}
Rydym wedi cau eich cwyn, ac ni fyddwn yn ymchwilio iddi ymhellach.

{% endif %}
{% for restriction in restrictions %}
- {{ restriction }}
{% endfor %}

Byddwn yn dal i ddarllen a chofnodi popeth a anfonwch atom, a bydd uwch swyddog yn penderfynu a oes angen ateb. Os byddwch yn codi mater newydd, byddwn yn delio ag ef yn y ffordd arferol.
{% if reviewBy %}

Byddwn yn adolygu’r penderfyniad hwn erbyn {{ reviewBy | longDate }}.
{% endif %}
{% if ombudsman %}
{% include "ombudsman-final.txt" %}
{% endif %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Rydym yn ysgrifennu atoch am y ffordd rydych wedi bod yn cysylltu â ni ynghylch eich cwyn.</p>
<h2>Ein penderfyniad</h2>
{{ decision | paragraphs('en' if byOfficer else '') }}
<h2>Beth mae hyn yn ei olygu</h2>
{% if closes %}
<p>Rydym wedi cau eich cwyn, ac ni fyddwn yn ymchwilio iddi ymhellach.</p>
{% endif %}
<ul>
{% for restriction in restrictions %}
<li>{{ restriction }}</li>
{% endfor %}
</ul>
<p>Byddwn yn dal i ddarllen a chofnodi popeth a anfonwch atom, a bydd uwch swyddog yn penderfynu a oes angen ateb. Os byddwch yn codi mater newydd, byddwn yn delio ag ef yn y ffordd arferol.</p>
{% if reviewBy %}
<p>Byddwn yn adolygu’r penderfyniad hwn erbyn <strong>{{ reviewBy | longDate }}</strong>.</p>
{% endif %}
{% if ombudsman %}
{% include "ombudsman-final.html" %}
{% endif %}
{% endblock %}
`,
};
