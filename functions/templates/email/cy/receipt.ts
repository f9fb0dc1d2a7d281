import type { EmailTemplateSource } from '../layout.js';

/** Welsh `receipt` (see `../receipt.ts`): nothing the sender typed, as the address is not confirmed. DRAFT: for review by the council's Welsh translation service. */
export const receipt: EmailTemplateSource = {
  subject: 'Rydym wedi cael eich {{ kindLabel }} ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
Helo,

Diolch am gysylltu â ni. Cawsom eich {{ kindLabel }} ar {{ receivedAt | longDateAfterAr }}.

Er eich diogelwch, nid yw’r {{ 'llythyr' if letter else 'e-bost' }} hwn yn ailadrodd yr hyn a ysgrifennoch. Os nad chi a gysylltodd â ni, nid oes angen i chi wneud dim.

BETH SY’N DIGWYDD NESAF

{% if kind == 'complaint' %}
{% if broughtBack %}{% if broughtBack.team %}Dywedon ni wrthych ein bod wedi anfon eich neges at {{ broughtBack.team }}.{% else %}Dywedon ni wrthych nad oedd eich neges yn un ar gyfer ein gweithdrefn gwyno.{% endif %} {% if broughtBack.notTheirs %}Maen nhw wedi dweud wrthym nad yw ar eu cyfer nhw, felly byddwn yn delio â hi o dan ein gweithdrefn gwyno{% else %}Rydym wedi edrych arni eto, a byddwn yn delio â hi fel cwyn o dan ein gweithdrefn gwyno{% endif %}, gyda’n hamserlenni wedi’u cyfrif o’r diwrnod y cawsom hi.

{% endif %}
{% if acknowledgeBy %}Byddwn yn cydnabod eich cwyn erbyn {{ acknowledgeBy | longDate }} ac yn dweud wrthych pwy sy’n delio â hi.{% else %}Byddwn yn dweud wrthych pwy sy’n delio â’ch cwyn.{% endif %}


{% if respondBy %}Ein nod yw anfon ein hymateb llawn atoch erbyn {{ respondBy | longDate }}. Os bydd angen mwy o amser arnom, byddwn yn dweud wrthych pam ac yn rhoi dyddiad newydd i chi.{% else %}Byddwn yn dweud wrthych pryd i ddisgwyl ein hymateb llawn.{% endif %}

{% elif kind == 'social-care' %}
Bydd rhywun o’n tîm cwynion gofal cymdeithasol yn cysylltu â chi{% if acknowledgeBy %} erbyn {{ acknowledgeBy | longDate }}{% endif %} i siarad am eich cwyn a chytuno â chi sut y byddwn yn delio â hi a faint o amser y bydd yn ei gymryd.
{% elif kind == 'compliment' %}
Byddwn yn rhannu eich canmoliaeth â’r bobl dan sylw{% if acknowledgeBy %} ac yn rhoi gwybod i chi erbyn {{ acknowledgeBy | longDate }}{% endif %}.
{% elif kind == 'comment' %}
{% if respondBy %}Byddwn yn ateb erbyn {{ respondBy | longDate }}. Os na allwn roi ateb llawn erbyn hynny, byddwn yn dweud wrthych pam a phryd y byddwn yn gwneud hynny.{% elif answerByPassed %}Dylem fod wedi ateb erbyn {{ answerByPassed | longDate }}, ac mae’n ddrwg gennym nad ydym wedi gwneud hynny. Byddwn yn ysgrifennu atoch ar wahân gyda’r dyddiad newydd.{% else %}Byddwn yn eich ateb cyn gynted ag y gallwn.{% endif %}
{% else %}
Byddwn yn rhannu eich sylwadau â’r bobl sy’n gwneud y polisi hwn, sy’n aml yn gynghorwyr{% if respondBy %}, ac yn rhoi adborth i chi erbyn {{ respondBy | longDate }}{% endif %}.{% if answerByPassed %} Dylem fod wedi rhoi adborth i chi erbyn {{ answerByPassed | longDate }}, ac mae’n ddrwg gennym nad ydym wedi gwneud hynny. Byddwn yn ysgrifennu atoch ar wahân gyda’r dyddiad newydd.{% endif %}
{% endif %}
{% if checkUrl and not letter %}

Gallwch wirio hynt eich {{ kindLabel }} ar unrhyw adeg: {{ checkUrl | httpUrl }}
{% endif %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
<p>Helo,</p>
<p>Diolch am gysylltu â ni. Cawsom eich {{ kindLabel }} ar {{ receivedAt | longDateAfterAr }}.</p>
<p>Er eich diogelwch, nid yw’r {{ 'llythyr' if letter else 'e-bost' }} hwn yn ailadrodd yr hyn a ysgrifennoch. Os nad chi a gysylltodd â ni, nid oes angen i chi wneud dim.</p>
<h2>Beth sy’n digwydd nesaf</h2>
{% if kind == 'complaint' %}
{% if broughtBack %}<p>{% if broughtBack.team %}Dywedon ni wrthych ein bod wedi anfon eich neges at {{ broughtBack.team }}.{% else %}Dywedon ni wrthych nad oedd eich neges yn un ar gyfer ein gweithdrefn gwyno.{% endif %} {% if broughtBack.notTheirs %}Maen nhw wedi dweud wrthym nad yw ar eu cyfer nhw, felly byddwn yn delio â hi o dan ein gweithdrefn gwyno{% else %}Rydym wedi edrych arni eto, a byddwn yn delio â hi fel cwyn o dan ein gweithdrefn gwyno{% endif %}, gyda’n hamserlenni wedi’u cyfrif o’r diwrnod y cawsom hi.</p>{% endif %}
<p>{% if acknowledgeBy %}Byddwn yn cydnabod eich cwyn erbyn <strong>{{ acknowledgeBy | longDate }}</strong> ac yn dweud wrthych pwy sy’n delio â hi.{% else %}Byddwn yn dweud wrthych pwy sy’n delio â’ch cwyn.{% endif %}</p>
<p>{% if respondBy %}Ein nod yw anfon ein hymateb llawn atoch erbyn <strong>{{ respondBy | longDate }}</strong>. Os bydd angen mwy o amser arnom, byddwn yn dweud wrthych pam ac yn rhoi dyddiad newydd i chi.{% else %}Byddwn yn dweud wrthych pryd i ddisgwyl ein hymateb llawn.{% endif %}</p>
{% elif kind == 'social-care' %}
<p>Bydd rhywun o’n tîm cwynion gofal cymdeithasol yn cysylltu â chi{% if acknowledgeBy %} erbyn <strong>{{ acknowledgeBy | longDate }}</strong>{% endif %} i siarad am eich cwyn a chytuno â chi sut y byddwn yn delio â hi a faint o amser y bydd yn ei gymryd.</p>
{% elif kind == 'compliment' %}
<p>Byddwn yn rhannu eich canmoliaeth â’r bobl dan sylw{% if acknowledgeBy %} ac yn rhoi gwybod i chi erbyn <strong>{{ acknowledgeBy | longDate }}</strong>{% endif %}.</p>
{% elif kind == 'comment' %}
<p>{% if respondBy %}Byddwn yn ateb erbyn <strong>{{ respondBy | longDate }}</strong>. Os na allwn roi ateb llawn erbyn hynny, byddwn yn dweud wrthych pam a phryd y byddwn yn gwneud hynny.{% elif answerByPassed %}Dylem fod wedi ateb erbyn {{ answerByPassed | longDate }}, ac mae’n ddrwg gennym nad ydym wedi gwneud hynny. Byddwn yn ysgrifennu atoch ar wahân gyda’r dyddiad newydd.{% else %}Byddwn yn eich ateb cyn gynted ag y gallwn.{% endif %}</p>
{% else %}
<p>Byddwn yn rhannu eich sylwadau â’r bobl sy’n gwneud y polisi hwn, sy’n aml yn gynghorwyr{% if respondBy %}, ac yn rhoi adborth i chi erbyn <strong>{{ respondBy | longDate }}</strong>{% endif %}.{% if answerByPassed %} Dylem fod wedi rhoi adborth i chi erbyn {{ answerByPassed | longDate }}, ac mae’n ddrwg gennym nad ydym wedi gwneud hynny. Byddwn yn ysgrifennu atoch ar wahân gyda’r dyddiad newydd.{% endif %}</p>
{% endif %}
{% if checkUrl and not letter %}
<p><a href="{{ checkUrl | httpUrl }}">Gwirio hynt eich {{ kindLabel }}</a> ar unrhyw adeg gyda’ch cyfeirnod a’r cyfeiriad e-bost hwn.</p>
{% endif %}
{% endblock %}
`,
};
