import type { EmailTemplateSource } from '../layout.js';

/** Welsh `consent-needed` (see `../consent-needed.ts`): nothing the sender typed. DRAFT: for review by the council's Welsh translation service. */
export const consentNeeded: EmailTemplateSource = {
  subject: 'Mae angen caniatâd arnom cyn i ni ymchwilio i’ch cwyn ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
Helo,

Diolch am eich cwyn ar ran rhywun arall. Cyn y gallwn ymchwilio iddi, mae angen i’r person rydych yn cwyno ar ei ran gytuno y cewch gwyno drosto, oherwydd byddwn yn rhannu gwybodaeth amdano gyda chi.

BETH I’W WNEUD

Gofynnwch iddo ddweud wrthym, drwy e-bost neu yn ysgrifenedig, ei fod yn cytuno, gan nodi {{ reference }}. Os na all gytuno, er enghraifft oherwydd ei fod o dan 18 oed neu nad oes ganddo’r galluedd i benderfynu, dywedwch wrthym pam, a byddwn yn ystyried a gewch weithredu ar ei ran.

Bydd ein tîm cwynion yn cysylltu â chi am hyn erbyn {{ consentBy | longDate }}. Mae’r amser a gymerwn i ymateb i’ch cwyn yn dechrau pan fydd gennym y caniatâd.
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
<p>Helo,</p>
<p>Diolch am eich cwyn ar ran rhywun arall. Cyn y gallwn ymchwilio iddi, mae angen i’r person rydych yn cwyno ar ei ran gytuno y cewch gwyno drosto, oherwydd byddwn yn rhannu gwybodaeth amdano gyda chi.</p>
<h2>Beth i’w wneud</h2>
<p>Gofynnwch iddo ddweud wrthym, drwy e-bost neu yn ysgrifenedig, ei fod yn cytuno, gan nodi {{ reference }}. Os na all gytuno, er enghraifft oherwydd ei fod o dan 18 oed neu nad oes ganddo’r galluedd i benderfynu, dywedwch wrthym pam, a byddwn yn ystyried a gewch weithredu ar ei ran.</p>
<p>Bydd ein tîm cwynion yn cysylltu â chi am hyn erbyn <strong>{{ consentBy | longDate }}</strong>. Mae’r amser a gymerwn i ymateb i’ch cwyn yn dechrau pan fydd gennym y caniatâd.</p>
{% endblock %}
`,
};
