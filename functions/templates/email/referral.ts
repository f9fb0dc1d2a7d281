import type { EmailTemplateSource } from './layout.js';

/**
 * To the team an excluded matter goes to: the case, why it came to them, when the resident
 * expects to hear (or that they were given no date, and the day the council received it, from
 * which a timescale set by law may count), a signed link to the case, and where to send it back
 * if it is not theirs. A service request, to the service it is for: to deal with as one, with
 * nobody checking it and no date given.
 */
export const referral: EmailTemplateSource = {
  subject:
    '{% if serviceRequest %}A service request passed to you{% else %}Passed to you{% endif %} from the complaints process: {{ reference }}{% if contactBy %}, contact the resident by {{ contactBy | longDate }}{% endif %}',
  text: `{% extends "staff.txt" %}
{% block body %}
{% include "staff-greeting.txt" %}

{% if serviceRequest %}
{{ council }} received this message through its complaints and feedback form and has passed it to you as a service request, because it is not a complaint. {% if serviceRequest.complaintsTeam %}Please deal with it as you would a request made to you directly.{% else %}No service of the council is named for it: please pass it to the service or organisation that deals with it, and tell the resident who has it.{% endif %}
{% else %}
{{ council }} received this message through its complaints and feedback form and has passed it to you, because it is not handled under the complaints procedure.
{% endif %}

WHY IT CAME TO YOU

{{ why }}

{% if serviceRequest %}
{% if serviceRequest.complaintsTeam %}The resident has been told that their message was passed to {{ team }}, with this address to reach you.{% else %}The resident has been told that the complaints team has it and will pass it on, with this address to reach you.{% endif %} They were not given a date.
{% elif contactBy %}
The resident has been told that their message was passed to {{ team }}, and that they will be contacted by {{ contactBy | longDate }}.
{% else %}
The resident has been told that their message was passed to {{ team }}. They were not given a date. {{ council }} received it on {{ receivedAt | longDate }}: a timescale set by law may count from that day.
{% endif %}

WHAT THEY TOLD US

{{ summary | paragraphs }}
{% if contact %}

HOW TO CONTACT THEM

{{ contact | paragraphs }}
{% endif %}

Read the case: {{ caseUrl | httpUrl }}
{% if serviceRequest %}
{% if serviceRequest.complaintsTeam %}

IF IT IS NOT FOR YOU

If it is not for you, pass it to the service it is for, or tell the complaints team ({{ serviceRequest.complaintsTeam }}).

Nobody in the complaints team checks it. If the resident is unhappy with how the request is dealt with, they can then make a complaint.
{% endif %}
{% elif sendBackTo %}

IF IT IS NOT FOR YOU

If it is not for you, tell the complaints team ({{ sendBackTo }}) straight away, and why: they will bring it back into the complaints procedure.

The complaints team will also check that it is not a complaint, and will ask you to confirm that you have picked it up.
{% else %}

The complaints team will also check that it is not a complaint, and may bring it into the complaints procedure.
{% endif %}
{% endblock %}
`,
  html: `{% extends "staff.html" %}
{% block content %}
{% include "staff-greeting.html" %}
{% if serviceRequest %}
<p>{{ council }} received this message through its complaints and feedback form and has passed it to you as a service request, because it is not a complaint. {% if serviceRequest.complaintsTeam %}Please deal with it as you would a request made to you directly.{% else %}No service of the council is named for it: please pass it to the service or organisation that deals with it, and tell the resident who has it.{% endif %}</p>
{% else %}
<p>{{ council }} received this message through its complaints and feedback form and has passed it to you, because it is not handled under the complaints procedure.</p>
{% endif %}
<h2>Why it came to you</h2>
<p>{{ why }}</p>
{% if serviceRequest %}
<p>{% if serviceRequest.complaintsTeam %}The resident has been told that their message was passed to {{ team }}, with this address to reach you.{% else %}The resident has been told that the complaints team has it and will pass it on, with this address to reach you.{% endif %} They were not given a date.</p>
{% elif contactBy %}
<p>The resident has been told that their message was passed to {{ team }}, and that they will be contacted by <strong>{{ contactBy | longDate }}</strong>.</p>
{% else %}
<p>The resident has been told that their message was passed to {{ team }}. They were not given a date. {{ council }} received it on <strong>{{ receivedAt | longDate }}</strong>: a timescale set by law may count from that day.</p>
{% endif %}
<h2>What they told us</h2>
<blockquote>{{ summary | paragraphs }}</blockquote>
{% if contact %}
<h2>How to contact them</h2>
{{ contact | paragraphs }}
{% endif %}
<p><a href="{{ caseUrl | httpUrl }}">Read case {{ reference }}</a></p>
{% if serviceRequest %}
{% if serviceRequest.complaintsTeam %}
<h2>If it is not for you</h2>
<p>If it is not for you, pass it to the service it is for, or tell the complaints team ({{ serviceRequest.complaintsTeam }}).</p>
<p>Nobody in the complaints team checks it. If the resident is unhappy with how the request is dealt with, they can then make a complaint.</p>
{% endif %}
{% elif sendBackTo %}
<h2>If it is not for you</h2>
<p>If it is not for you, tell the complaints team ({{ sendBackTo }}) straight away, and why: they will bring it back into the complaints procedure.</p>
<p>The complaints team will also check that it is not a complaint, and will ask you to confirm that you have picked it up.</p>
{% else %}
<p>The complaints team will also check that it is not a complaint, and may bring it into the complaints procedure.</p>
{% endif %}
{% endblock %}
`,
};
