import type { EmailTemplateSource } from '../layout.js';

/** Welsh `referred-to-manager` (see `../referred-to-manager.ts`). DRAFT: for review by the council's Welsh translation service. */
export const referredToManager: EmailTemplateSource = {
  subject: 'Rydym wedi cael eich cwyn ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
Helo,

Diolch am gysylltu â ni. Anfonoch eich cwyn atom heb eich enw, felly ni allwn ddelio â hi drwy ein gweithdrefn gwyno arferol.

Rydym wedi ei hanfon at reolwr y gwasanaeth, a fydd yn penderfynu pa gamau i’w cymryd. Gan nad ydym yn gwybod pwy ydych chi, efallai na fyddwn yn gallu dweud wrthych beth sy’n digwydd.

Os hoffech gael ateb, anfonwch eich enw a’ch manylion cyswllt atom, gan nodi eich cyfeirnod. Byddwn yn eu cadw’n gyfrinachol.
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
<p>Helo,</p>
<p>Diolch am gysylltu â ni. Anfonoch eich cwyn atom heb eich enw, felly ni allwn ddelio â hi drwy ein gweithdrefn gwyno arferol.</p>
<p>Rydym wedi ei hanfon at reolwr y gwasanaeth, a fydd yn penderfynu pa gamau i’w cymryd. Gan nad ydym yn gwybod pwy ydych chi, efallai na fyddwn yn gallu dweud wrthych beth sy’n digwydd.</p>
<p>Os hoffech gael ateb, anfonwch eich enw a’ch manylion cyswllt atom, gan nodi eich cyfeirnod. Byddwn yn eu cadw’n gyfrinachol.</p>
{% endblock %}
`,
};
