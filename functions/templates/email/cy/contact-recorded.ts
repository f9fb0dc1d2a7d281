import type { EmailTemplateSource } from '../layout.js';

/** Welsh `contact-recorded` (see `../contact-recorded.ts`). DRAFT: for review by the council's Welsh translation service. */
export const contactRecorded: EmailTemplateSource = {
  subject: 'Rydym wedi cael eich neges ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Cawsom eich neges ar {{ receivedAt | longDateAfterAr }} ac rydym wedi’i chofnodi.

Mae wedi cael ei hanfon at yr uwch swyddog sy’n delio â’ch cysylltiad â ni. Bydd yn ei darllen ac yn penderfynu a oes angen ateb.
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Cawsom eich neges ar {{ receivedAt | longDateAfterAr }} ac rydym wedi’i chofnodi.</p>
<p>Mae wedi cael ei hanfon at yr uwch swyddog sy’n delio â’ch cysylltiad â ni. Bydd yn ei darllen ac yn penderfynu a oes angen ateb.</p>
{% endblock %}
`,
};
