import type { EmailTemplateSource } from '../layout.js';

/** Welsh `consent-not-given` (see `../consent-not-given.ts`). DRAFT: for review by the council's Welsh translation service. */
export const consentNotGiven: EmailTemplateSource = {
  subject: 'Ni allwn ymchwilio i’ch cwyn ar ran {{ personName }} ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Gofynnon ni am gytundeb {{ personName }} i chi gwyno ar ei ran. Nid yw’r cytundeb hwnnw gennym, felly ni allwn ymchwilio i’r gŵyn ar ei ran, ac rydym wedi’i chau.
{% if reasons %}

{{ reasons | paragraphs('en') }}
{% endif %}

Gall {{ personName }} gwyno wrthym ei hun, neu gytuno i chi weithredu ar ei ran: dylid nodi {{ reference }}.

Dylid gwneud cwynion o fewn {{ months }} mis i’r hyn y maent yn sôn amdano ddigwydd, neu i rywun ddod i wybod amdano. {% if limitEnds and limitPassed %}Ar gyfer y gŵyn hon, roedd hynny erbyn {{ limitEnds | longDate }}, felly byddem yn ymchwilio iddi dim ond os oes rheswm da pam na chafodd ei gwneud yn gynt.{% elif limitEnds %}Ar gyfer y gŵyn hon, mae hynny erbyn {{ limitEnds | longDate }}. Ar ôl hynny, byddem yn ymchwilio iddi dim ond os oes rheswm da pam na chafodd ei gwneud yn gynt.{% else %}Ar ôl hynny, byddwn yn ymchwilio i gŵyn dim ond os oes rheswm da pam na chafodd ei gwneud yn gynt.{% endif %}

{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Gofynnon ni am gytundeb {{ personName }} i chi gwyno ar ei ran. Nid yw’r cytundeb hwnnw gennym, felly ni allwn ymchwilio i’r gŵyn ar ei ran, ac rydym wedi’i chau.</p>
{% if reasons %}
{{ reasons | paragraphs('en') }}
{% endif %}
<p>Gall {{ personName }} gwyno wrthym ei hun, neu gytuno i chi weithredu ar ei ran: dylid nodi {{ reference }}.</p>
<p>Dylid gwneud cwynion o fewn {{ months }} mis i’r hyn y maent yn sôn amdano ddigwydd, neu i rywun ddod i wybod amdano. {% if limitEnds and limitPassed %}Ar gyfer y gŵyn hon, roedd hynny erbyn {{ limitEnds | longDate }}, felly byddem yn ymchwilio iddi dim ond os oes rheswm da pam na chafodd ei gwneud yn gynt.{% elif limitEnds %}Ar gyfer y gŵyn hon, mae hynny erbyn {{ limitEnds | longDate }}. Ar ôl hynny, byddem yn ymchwilio iddi dim ond os oes rheswm da pam na chafodd ei gwneud yn gynt.{% else %}Ar ôl hynny, byddwn yn ymchwilio i gŵyn dim ond os oes rheswm da pam na chafodd ei gwneud yn gynt.{% endif %}</p>
{% endblock %}
`,
};
