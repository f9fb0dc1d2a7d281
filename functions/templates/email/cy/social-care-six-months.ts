import type { EmailTemplateSource } from '../layout.js';

/** Welsh `social-care-six-months` (see `../social-care-six-months.ts`). DRAFT: for review by the council's Welsh translation service. */
export const socialCareSixMonths: EmailTemplateSource = {
  subject: 'Eich cwyn: chwe mis yn ddiweddarach ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Cawsom eich cwyn ar {{ receivedAt | longDateAfterAr }}. Mae chwe mis wedi mynd heibio ers hynny ac nid ydym wedi anfon ein hymateb atoch eto. Mae’r gyfraith yn gofyn i ni ddweud hyn wrthych yn ysgrifenedig, a pham.

PAM

Rydym yn dal i weithio drwy’r cynllun a gytunwyd gyda chi:

{{ plan | paragraphs('en') }}

PRYD Y BYDDWCH YN CLYWED GENNYM

Cytunon ni â chi y byddem yn anfon ein hymateb erbyn {{ respondBy | longDate }}.{% if respondByPassed %} Mae’r dyddiad hwnnw wedi mynd heibio, ac mae’n ddrwg gennym. Mae rheolwr y gwasanaeth wedi cael gwybod, a byddwn yn anfon ein hymateb cyn gynted ag y gallwn.{% else %} Byddwn yn ei anfon erbyn hynny.{% endif %}


Os ydych am siarad am y cynllun neu’r dyddiad, cysylltwch â {{ contactName }}, gan nodi eich cyfeirnod.
{% include "ombudsman-early.txt" %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Cawsom eich cwyn ar {{ receivedAt | longDateAfterAr }}. Mae chwe mis wedi mynd heibio ers hynny ac nid ydym wedi anfon ein hymateb atoch eto. Mae’r gyfraith yn gofyn i ni ddweud hyn wrthych yn ysgrifenedig, a pham.</p>
<h2>Pam</h2>
<p>Rydym yn dal i weithio drwy’r cynllun a gytunwyd gyda chi:</p>
<blockquote>{{ plan | paragraphs('en') }}</blockquote>
<h2>Pryd y byddwch yn clywed gennym</h2>
<p>Cytunon ni â chi y byddem yn anfon ein hymateb erbyn <strong>{{ respondBy | longDate }}</strong>.{% if respondByPassed %} Mae’r dyddiad hwnnw wedi mynd heibio, ac mae’n ddrwg gennym. Mae rheolwr y gwasanaeth wedi cael gwybod, a byddwn yn anfon ein hymateb cyn gynted ag y gallwn.{% else %} Byddwn yn ei anfon erbyn hynny.{% endif %}</p>
<p>Os ydych am siarad am y cynllun neu’r dyddiad, cysylltwch â {{ contactName }}, gan nodi eich cyfeirnod.</p>
{% include "ombudsman-early.html" %}
{% endblock %}
`,
};
