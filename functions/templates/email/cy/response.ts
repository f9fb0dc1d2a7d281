import type { EmailTemplateSource } from '../layout.js';

/** Welsh `response` (see `../response.ts`): the stage-1 response. DRAFT: for review by the council's Welsh translation service. */
export const response: EmailTemplateSource = {
  subject: 'Ein hymateb i’ch cwyn ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Diolch am eich cwyn. Rydym bellach wedi ymchwilio iddi, a dyma ein hymateb.
{% include "outcome.txt" %}
{% if stage2 %}

OS YDYCH YN ANFODLON Â’N HYMATEB

Gallwch ofyn i uwch swyddog{% if stage2.independent %} nad yw wedi bod yn rhan o’r gwaith hyd yma{% endif %} edrych ar eich cwyn eto. Dyma gam 2 ein gweithdrefn gwyno.

Rhaid i chi ofyn erbyn {{ stage2.requestBy | longDate }}.
{% if stage2.grounds and stage2.grounds.length %}

Dywedwch wrthym pa un o’r rhain sy’n berthnasol, a pham:
{% for ground in stage2.grounds %}
- {{ ground }}
{% endfor %}
{% else %}

Nid oes rhaid i chi roi rhesymau, ond mae’n help i ni os dywedwch wrthym beth sy’n dal i’ch gwneud yn anfodlon.
{% endif %}

{% if letter %}
I ofyn, cysylltwch â ni gan ddefnyddio’r manylion ar frig y llythyr hwn, gan nodi eich cyfeirnod.
{% else %}
Gofynnwch am gam 2 ar-lein: {{ stage2.url | httpUrl }}
{% endif %}
{% endif %}
{% if ombudsman %}
{% if stage2 %}
{% include "ombudsman-early.txt" %}
{% else %}
{% if final %}

Dyma ddiwedd gweithdrefn gwyno’r cyngor.
{% endif %}
{% include "ombudsman-final.txt" %}
{% endif %}
{% endif %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Diolch am eich cwyn. Rydym bellach wedi ymchwilio iddi, a dyma ein hymateb.</p>
{% include "outcome.html" %}
{% if stage2 %}
<h2>Os ydych yn anfodlon â’n hymateb</h2>
<p>Gallwch ofyn i uwch swyddog{% if stage2.independent %} nad yw wedi bod yn rhan o’r gwaith hyd yma{% endif %} edrych ar eich cwyn eto. Dyma gam 2 ein gweithdrefn gwyno.</p>
<p>Rhaid i chi ofyn erbyn <strong>{{ stage2.requestBy | longDate }}</strong>.</p>
{% if stage2.grounds and stage2.grounds.length %}
<p>Dywedwch wrthym pa un o’r rhain sy’n berthnasol, a pham:</p>
<ul>
{% for ground in stage2.grounds %}
<li>{{ ground }}</li>
{% endfor %}
</ul>
{% else %}
<p>Nid oes rhaid i chi roi rhesymau, ond mae’n help i ni os dywedwch wrthym beth sy’n dal i’ch gwneud yn anfodlon.</p>
{% endif %}
{% if letter %}
<p>I ofyn, cysylltwch â ni gan ddefnyddio’r manylion ar frig y llythyr hwn, gan nodi eich cyfeirnod.</p>
{% else %}
<p><a href="{{ stage2.url | httpUrl }}">Gofyn i ni adolygu eich cwyn yng ngham 2</a></p>
{% endif %}
{% endif %}
{% if ombudsman %}
{% if stage2 %}
{% include "ombudsman-early.html" %}
{% else %}
{% if final %}
<p>Dyma ddiwedd gweithdrefn gwyno’r cyngor.</p>
{% endif %}
{% include "ombudsman-final.html" %}
{% endif %}
{% endif %}
{% endblock %}
`,
};
