import type { EmailTemplateSource } from '../layout.js';

/** Welsh `social-care-response` (see `../social-care-response.ts`). DRAFT: for review by the council's Welsh translation service. */
export const socialCareResponse: EmailTemplateSource = {
  subject: 'Ein hymateb i’ch cwyn ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Diolch am ddweud wrthym eich bod yn fodlon â’r ffordd rydym wedi delio â’ch cwyn. Dyma ein hymateb ysgrifenedig.

SUT Y GWNAETHOM DDELIO Â’CH CWYN

Cytunon ni ar y cynllun hwn gyda chi:

{{ plan | paragraphs('en') }}

BETH A GANFUWYD GENNYM A BETH A WNAETHOM

{{ response | paragraphs('en') }}

{{ respondent }}

Dyma ddiwedd ein gweithdrefn gwyno.
{% include "ombudsman-final.txt" %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Diolch am ddweud wrthym eich bod yn fodlon â’r ffordd rydym wedi delio â’ch cwyn. Dyma ein hymateb ysgrifenedig.</p>
<h2>Sut y gwnaethom ddelio â’ch cwyn</h2>
<p>Cytunon ni ar y cynllun hwn gyda chi:</p>
<blockquote>{{ plan | paragraphs('en') }}</blockquote>
<h2>Beth a ganfuwyd gennym a beth a wnaethom</h2>
{{ response | paragraphs('en') }}
<p>{{ respondent }}</p>
<p>Dyma ddiwedd ein gweithdrefn gwyno.</p>
{% include "ombudsman-final.html" %}
{% endblock %}
`,
};
