import type { EmailTemplateSource } from '../layout.js';

/** Welsh `sign-in-link` (see `../sign-in-link.ts`). DRAFT: for review by the council's Welsh translation service. */
export const signInLink: EmailTemplateSource = {
  subject: 'Eich dolen i wirio {{ reference }}',
  text: `{% extends "resident.txt" %}
{% block body %}
Helo,

Gofynnoch am gael gwirio eich {{ kindLabel }} gyda {{ council }}. Defnyddiwch y ddolen hon i weld ei hynt, y dyddiadau a’r llythyrau rydym wedi’u hanfon atoch:

{{ signInUrl | httpUrl }}

Mae’r ddolen yn gweithio unwaith, am {{ validMinutes }} munud. Os yw wedi dod i ben, gofynnwch am un newydd ar y dudalen “Gwirio eich cwyn”.

Os na wnaethoch ofyn am hyn, nid oes angen i chi wneud dim: ni all neb ddefnyddio’r ddolen heb yr e-bost hwn.
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
<p>Helo,</p>
<p>Gofynnoch am gael gwirio eich {{ kindLabel }} gyda {{ council }}. Defnyddiwch y ddolen hon i weld ei hynt, y dyddiadau a’r llythyrau rydym wedi’u hanfon atoch.</p>
<p><a href="{{ signInUrl | httpUrl }}" style="display:inline-block;background-color:#00703c;color:#ffffff;font-weight:bold;padding:10px 16px;text-decoration:none;border-bottom:2px solid #002d18;">Gwirio {{ reference }}</a></p>
<p>Mae’r ddolen yn gweithio unwaith, am {{ validMinutes }} munud. Os yw wedi dod i ben, gofynnwch am un newydd ar y dudalen &ldquo;Gwirio eich cwyn&rdquo;.</p>
<p>Os na wnaethoch ofyn am hyn, nid oes angen i chi wneud dim: ni all neb ddefnyddio’r ddolen heb yr e-bost hwn.</p>
{% endblock %}
`,
};
