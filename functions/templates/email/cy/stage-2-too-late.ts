import type { EmailTemplateSource } from '../layout.js';

/** Welsh `stage-2-too-late` (see `../stage-2-too-late.ts`). DRAFT: for review by the council's Welsh translation service. */
export const stage2TooLate: EmailTemplateSource = {
  subject: 'Mae’r amser i ofyn am adolygiad o’ch cwyn wedi dod i ben ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Y diwrnod olaf i ofyn i ni am adolygiad cam 2 o’ch cwyn oedd {{ requestBy | longDate }}. Ni chawsom gais erbyn hynny, felly ein hymateb yng ngham 1 yw ein hymateb terfynol.
{% if lateBy %}

Os oedd rheswm da pam na allech ofyn mewn pryd, er enghraifft salwch, {{ replyHow }} erbyn {{ lateBy | longDate }} a dywedwch wrthym. Byddwn yn ei ystyried.
{% endif %}
{% include "ombudsman-final.txt" %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Y diwrnod olaf i ofyn i ni am adolygiad cam 2 o’ch cwyn oedd {{ requestBy | longDate }}. Ni chawsom gais erbyn hynny, felly ein hymateb yng ngham 1 yw ein hymateb terfynol.</p>
{% if lateBy %}
<p>Os oedd rheswm da pam na allech ofyn mewn pryd, er enghraifft salwch, {{ replyHow }} erbyn <strong>{{ lateBy | longDate }}</strong> a dywedwch wrthym. Byddwn yn ei ystyried.</p>
{% endif %}
{% include "ombudsman-final.html" %}
{% endblock %}
`,
};
