import type { EmailTemplateSource } from '../layout.js';

/** Welsh `redirect` (see `../redirect.ts`). DRAFT: for review by the council's Welsh translation service. */
export const redirect: EmailTemplateSource = {
  subject: 'Beth sy’n digwydd i’ch neges ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Diolch am gysylltu â ni. Rydym wedi cofnodi eich neges.
{% if summary %}

YR HYN A DDYWEDOCH WRTHYM

{{ summary | paragraphs }}
{% endif %}

BETH SY’N DIGWYDD NESAF
{% if referral %}

Rydym wedi anfon eich neges at {{ referral.team }}. Byddant yn cysylltu â chi erbyn {{ referral.contactBy | longDate }}.
{% endif %}

{{ redirect | paragraphs }}
{% if checked %}

Bydd ein tîm cwynion hefyd yn gwirio na ddylid delio â’ch neges fel cwyn. Os dylid, byddwn yn ysgrifennu atoch eto.
{% endif %}
{% if ombudsman %}

Os ydych chi’n credu y dylem fod wedi delio â’ch neges fel cwyn, {{ replyHow }} a dywedwch wrthym pam.
{% include "ombudsman-decision.txt" %}
{% endif %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Diolch am gysylltu â ni. Rydym wedi cofnodi eich neges.</p>
{% if summary %}
<h2>Yr hyn a ddywedoch wrthym</h2>
<blockquote>{{ summary | paragraphs }}</blockquote>
{% endif %}
<h2>Beth sy’n digwydd nesaf</h2>
{% if referral %}
<p>Rydym wedi anfon eich neges at {{ referral.team }}. Byddant yn cysylltu â chi erbyn <strong>{{ referral.contactBy | longDate }}</strong>.</p>
{% endif %}
{{ redirect | paragraphs }}
{% if checked %}
<p>Bydd ein tîm cwynion hefyd yn gwirio na ddylid delio â’ch neges fel cwyn. Os dylid, byddwn yn ysgrifennu atoch eto.</p>
{% endif %}
{% if ombudsman %}
<p>Os ydych chi’n credu y dylem fod wedi delio â’ch neges fel cwyn, {{ replyHow }} a dywedwch wrthym pam.</p>
{% include "ombudsman-decision.html" %}
{% endif %}
{% endblock %}
`,
};
