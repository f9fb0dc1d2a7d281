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

Rydym wedi anfon eich neges at {{ referral.team }}.{% if referral.contactBy %} Byddant yn cysylltu â chi erbyn {{ referral.contactBy | longDate }}.{% if referral.email %} Os nad ydych wedi clywed ganddynt erbyn hynny, anfonwch e-bost atynt yn {{ referral.email }}.{% endif %}{% elif referral.email %} Gallwch anfon e-bost atynt yn {{ referral.email }}.{% endif %}

{% endif %}

{{ redirect | paragraphs }}
{% if reach %}
{% if reach.url %}

Mae {% if reach.team %}manylion cyswllt {{ reach.team }}{% else %}eu manylion cyswllt{% endif %} ar gael yn {{ reach.url }}{% if reach.phone %}, neu ffoniwch {{ reach.phone }}{% endif %}.
{% elif reach.phone %}

{% if reach.team %}Rhif ffôn {{ reach.team }}{% else %}Eu rhif ffôn{% endif %} yw {{ reach.phone }}.
{% elif not reach.named %}

Os na allwch ddod o hyd {% if reach.team %}i fanylion cyswllt {{ reach.team }}{% else %}i’w manylion cyswllt{% endif %}, {{ replyHow }} a byddwn yn dweud wrthych.
{% endif %}
{% endif %}
{% if checked %}

{% if ownProcedure %}
Bydd ein tîm cwynion hefyd yn gwirio bod eich cwyn yn perthyn i’r weithdrefn honno. Os dylid delio â hi o dan ein gweithdrefn gwyno gorfforaethol yn lle hynny, byddwn yn ysgrifennu atoch eto.
{% else %}
Bydd ein tîm cwynion hefyd yn gwirio na ddylid delio â’ch neges fel cwyn. Os dylid, byddwn yn ysgrifennu atoch eto.
{% endif %}
{% endif %}
{% if ombudsman %}

{% if ownProcedure %}
Os ydych chi’n credu y dylem fod wedi delio â’ch cwyn o dan ein gweithdrefn gwyno gorfforaethol, {{ replyHow }} a dywedwch wrthym pam.
{% else %}
Os ydych chi’n credu y dylem fod wedi delio â’ch neges fel cwyn, {{ replyHow }} a dywedwch wrthym pam.
{% endif %}
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
<p>Rydym wedi anfon eich neges at {{ referral.team }}.{% if referral.contactBy %} Byddant yn cysylltu â chi erbyn <strong>{{ referral.contactBy | longDate }}</strong>.{% if referral.email %} Os nad ydych wedi clywed ganddynt erbyn hynny, anfonwch e-bost atynt yn {{ referral.email }}.{% endif %}{% elif referral.email %} Gallwch anfon e-bost atynt yn {{ referral.email }}.{% endif %}</p>
{% endif %}
{{ redirect | paragraphs }}
{% if reach %}
{% if reach.url %}
<p>Mae {% if reach.team %}manylion cyswllt {{ reach.team }}{% else %}eu manylion cyswllt{% endif %} ar gael yn {{ reach.url }}{% if reach.phone %}, neu ffoniwch {{ reach.phone }}{% endif %}.</p>
{% elif reach.phone %}
<p>{% if reach.team %}Rhif ffôn {{ reach.team }}{% else %}Eu rhif ffôn{% endif %} yw {{ reach.phone }}.</p>
{% elif not reach.named %}
<p>Os na allwch ddod o hyd {% if reach.team %}i fanylion cyswllt {{ reach.team }}{% else %}i’w manylion cyswllt{% endif %}, {{ replyHow }} a byddwn yn dweud wrthych.</p>
{% endif %}
{% endif %}
{% if checked %}
{% if ownProcedure %}
<p>Bydd ein tîm cwynion hefyd yn gwirio bod eich cwyn yn perthyn i’r weithdrefn honno. Os dylid delio â hi o dan ein gweithdrefn gwyno gorfforaethol yn lle hynny, byddwn yn ysgrifennu atoch eto.</p>
{% else %}
<p>Bydd ein tîm cwynion hefyd yn gwirio na ddylid delio â’ch neges fel cwyn. Os dylid, byddwn yn ysgrifennu atoch eto.</p>
{% endif %}
{% endif %}
{% if ombudsman %}
{% if ownProcedure %}
<p>Os ydych chi’n credu y dylem fod wedi delio â’ch cwyn o dan ein gweithdrefn gwyno gorfforaethol, {{ replyHow }} a dywedwch wrthym pam.</p>
{% else %}
<p>Os ydych chi’n credu y dylem fod wedi delio â’ch neges fel cwyn, {{ replyHow }} a dywedwch wrthym pam.</p>
{% endif %}
{% include "ombudsman-decision.html" %}
{% endif %}
{% endblock %}
`,
};
