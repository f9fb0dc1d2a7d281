import type { EmailTemplateSource } from './layout.js';

/**
 * To the resident, on the last day before our reply is due and before it passes (and again each
 * time the new date passes with no reply, quoting that date): why it may be late and the new
 * date we commit to (South Norfolk Council Complaints Policy: "notify them if
 * there is a delay and commit to a new timescale"; Dudley MBC Corporate Customer Feedback
 * Procedure, June 2019, §5: a holding letter within the timescale; the unitary council’s
 * Customer Feedback Procedure §6.2 for comments: "why and when"). Worded for the kind of
 * feedback: a comment is not a complaint. A complaint's letter gives the Ombudsman's details
 * where the policy gives them with an extension: it, too, tells the resident of a later date
 * (the Code §6.5).
 */
export const holdingLetter: EmailTemplateSource = {
  subject: '{{ about }} {% if late %}is late{% else %}may be late{% endif %} ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

We told you we would {{ replyVerb }} by {{ promisedDate | longDate }}. {% if late %}We are sorry that we have not yet done so.{% else %}We are sorry: we may not be able to.{% endif %}


{% if late %}WHY THERE IS A DELAY{% else %}WHY THERE MAY BE A DELAY{% endif %}


{{ reason | paragraphs }}

WHEN YOU WILL HEAR FROM US

We will now send you {{ replyObject }} by {{ newDate | longDate }}. If it is ready sooner, we will send it sooner.
{% if ombudsman %}
{% include "ombudsman-early.txt" %}
{% endif %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>We told you we would {{ replyVerb }} by {{ promisedDate | longDate }}. {% if late %}We are sorry that we have not yet done so.{% else %}We are sorry: we may not be able to.{% endif %}</p>
<h2>{% if late %}Why there is a delay{% else %}Why there may be a delay{% endif %}</h2>
{{ reason | paragraphs }}
<h2>When you will hear from us</h2>
<p>We will now send you {{ replyObject }} by <strong>{{ newDate | longDate }}</strong>. If it is ready sooner, we will send it sooner.</p>
{% if ombudsman %}
{% include "ombudsman-early.html" %}
{% endif %}
{% endblock %}
`,
};
