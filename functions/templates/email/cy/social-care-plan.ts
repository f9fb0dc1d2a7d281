import type { EmailTemplateSource } from '../layout.js';

/** Welsh `social-care-plan` (see `../social-care-plan.ts`). DRAFT: for review by the council's Welsh translation service. */
export const socialCarePlan: EmailTemplateSource = {
  subject: 'Sut y byddwn yn delio â’ch cwyn: y cynllun a gytunwyd ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Diolch am siarad â ni am eich cwyn. Mae’r {{ doc }} hwn yn cadarnhau’r hyn a gytunwyd.

Y CYNLLUN

{{ plan | paragraphs('en') }}

PRYD Y BYDDWCH YN CLYWED GENNYM

Byddwn yn anfon ein hymateb atoch erbyn {{ respondBy | longDate }}. Os na allwn gadw at hyn, byddwn yn dweud wrthych pam ac yn cytuno ar ddyddiad newydd gyda chi.

Eich cyswllt yw {{ contactName }}. Os bydd unrhyw beth yn newid, neu os ydych chi’n credu nad yw’r cynllun yn iawn, {{ replyHow }}.
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Diolch am siarad â ni am eich cwyn. Mae’r {{ doc }} hwn yn cadarnhau’r hyn a gytunwyd.</p>
<h2>Y cynllun</h2>
{{ plan | paragraphs('en') }}
<h2>Pryd y byddwch yn clywed gennym</h2>
<p>Byddwn yn anfon ein hymateb atoch erbyn <strong>{{ respondBy | longDate }}</strong>. Os na allwn gadw at hyn, byddwn yn dweud wrthych pam ac yn cytuno ar ddyddiad newydd gyda chi.</p>
<p>Eich cyswllt yw {{ contactName }}. Os bydd unrhyw beth yn newid, neu os ydych chi’n credu nad yw’r cynllun yn iawn, {{ replyHow }}.</p>
{% endblock %}
`,
};
