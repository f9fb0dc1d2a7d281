import type { EmailTemplateSource } from './layout.js';

/**
 * To the resident: the stage-1 response. Outcome, reasons, remedy and actions; how and by when to
 * ask for stage 2 (with the link); the ombudsman when the policy signposts it at every stage, or
 * when there is no stage 2.
 */
export const response: EmailTemplateSource = {
  subject: 'Our response to your complaint ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Thank you for your complaint. We have now looked into it, and this is our response.
{% include "outcome.txt" %}
{% if stage2 %}

IF YOU ARE UNHAPPY WITH OUR RESPONSE

You can ask for your complaint to be looked at again by a more senior officer{% if stage2.independent %} who was not involved so far{% endif %}. This is stage 2 of our complaints procedure.

You must ask by {{ stage2.requestBy | longDate }}.
{% if stage2.grounds and stage2.grounds.length %}

Tell us which of these applies, and why:
{% for ground in stage2.grounds %}
- {{ ground }}
{% endfor %}
{% else %}

You do not have to give reasons, but it helps us if you tell us what you are still unhappy about.
{% endif %}

{% if letter %}
To ask, contact us using the details at the top of this letter, quoting your reference.
{% else %}
Ask for stage 2 online: {{ stage2.url | httpUrl }}
{% endif %}
{% endif %}
{% if ombudsman %}
{% if stage2 %}
{% include "ombudsman-early.txt" %}
{% else %}
{% if final %}

This is the end of {{ council }}'s complaints procedure.
{% endif %}
{% include "ombudsman-final.txt" %}
{% endif %}
{% endif %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Thank you for your complaint. We have now looked into it, and this is our response.</p>
{% include "outcome.html" %}
{% if stage2 %}
<h2>If you are unhappy with our response</h2>
<p>You can ask for your complaint to be looked at again by a more senior officer{% if stage2.independent %} who was not involved so far{% endif %}. This is stage 2 of our complaints procedure.</p>
<p>You must ask by <strong>{{ stage2.requestBy | longDate }}</strong>.</p>
{% if stage2.grounds and stage2.grounds.length %}
<p>Tell us which of these applies, and why:</p>
<ul>
{% for ground in stage2.grounds %}
<li>{{ ground }}</li>
{% endfor %}
</ul>
{% else %}
<p>You do not have to give reasons, but it helps us if you tell us what you are still unhappy about.</p>
{% endif %}
{% if letter %}
<p>To ask, contact us using the details at the top of this letter, quoting your reference.</p>
{% else %}
<p><a href="{{ stage2.url | httpUrl }}">Ask for your complaint to be reviewed at stage 2</a></p>
{% endif %}
{% endif %}
{% if ombudsman %}
{% if stage2 %}
{% include "ombudsman-early.html" %}
{% else %}
{% if final %}
<p>This is the end of {{ council }}'s complaints procedure.</p>
{% endif %}
{% include "ombudsman-final.html" %}
{% endif %}
{% endif %}
{% endblock %}
`,
};
