import type { EmailTemplateSource } from '../layout.js';

/** Welsh `compliment-acknowledgement` (see `../compliment-acknowledgement.ts`). DRAFT: for review by the council's Welsh translation service. */
export const complimentAcknowledgement: EmailTemplateSource = {
  subject: 'Diolch am eich canmoliaeth ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Diolch am roi o’ch amser i ddweud wrthym am wasanaeth da. Mae’n golygu llawer i’r bobl dan sylw.

{% if recordedOnly %}Rydym wedi cofnodi eich canmoliaeth. Mae canmoliaeth yn ein helpu i ddysgu beth rydym yn ei wneud yn dda.{% else %}{% if sentTo == 'service' %}Rydym wedi rhannu eich canmoliaeth â thîm {{ service }}.{% else %}Rydym wedi rhannu eich canmoliaeth â’n tîm cwynion, a fydd yn ei rhannu {% if service %}â thîm {{ service }}{% else %}â’r bobl y mae’n sôn amdanynt{% endif %}.{% endif %} Caiff canmoliaeth ei rhannu ag unrhyw staff a enwir, ac mae’n ein helpu i ddysgu beth rydym yn ei wneud yn dda.{% endif %}

{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Diolch am roi o’ch amser i ddweud wrthym am wasanaeth da. Mae’n golygu llawer i’r bobl dan sylw.</p>
<p>{% if recordedOnly %}Rydym wedi cofnodi eich canmoliaeth. Mae canmoliaeth yn ein helpu i ddysgu beth rydym yn ei wneud yn dda.{% else %}{% if sentTo == 'service' %}Rydym wedi rhannu eich canmoliaeth â thîm {{ service }}.{% else %}Rydym wedi rhannu eich canmoliaeth â’n tîm cwynion, a fydd yn ei rhannu {% if service %}â thîm {{ service }}{% else %}â’r bobl y mae’n sôn amdanynt{% endif %}.{% endif %} Caiff canmoliaeth ei rhannu ag unrhyw staff a enwir, ac mae’n ein helpu i ddysgu beth rydym yn ei wneud yn dda.{% endif %}</p>
{% endblock %}
`,
};
