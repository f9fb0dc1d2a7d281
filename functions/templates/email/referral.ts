import type { EmailTemplateSource } from './layout.js';

/**
 * To the team an excluded matter goes to: the case, why it came to them, when the resident
 * expects to hear (or that they were given no date, and the day the council received it, from
 * which a timescale set by law may count), a signed link to the case, and where to send it back
 * if it is not theirs.
 */
export const referral: EmailTemplateSource = {
  subject:
    'Passed to you from the complaints process: {{ reference }}{% if contactBy %}, contact the resident by {{ contactBy | longDate }}{% endif %}',
  text: `{% extends "staff.txt" %}
{% block body %}
{% include "staff-greeting.txt" %}

{{ council }} received this message through its complaints and feedback form and has passed it to you, because it is not handled under the complaints procedure.

WHY IT CAME TO YOU

{{ why }}

{% if contactBy %}
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
{% if sendBackTo %}

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
<p>{{ council }} received this message through its complaints and feedback form and has passed it to you, because it is not handled under the complaints procedure.</p>
<h2>Why it came to you</h2>
<p>{{ why }}</p>
{% if contactBy %}
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
{% if sendBackTo %}
<h2>If it is not for you</h2>
<p>If it is not for you, tell the complaints team ({{ sendBackTo }}) straight away, and why: they will bring it back into the complaints procedure.</p>
<p>The complaints team will also check that it is not a complaint, and will ask you to confirm that you have picked it up.</p>
{% else %}
<p>The complaints team will also check that it is not a complaint, and may bring it into the complaints procedure.</p>
{% endif %}
{% endblock %}
`,
};
