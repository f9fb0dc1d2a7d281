import type { EmailTemplateSource } from './layout.js';

/**
 * To the complaints team: something needs a person (the workflow did not start, an email to the
 * resident bounced, a referral did not reach the team it was passed to).
 */
export const complaintsTeamAlert: EmailTemplateSource = {
  subject:
    '{% if problem == "workflow-start-failed" %}Case {{ reference }} did not start its workflow{% elif problem == "bounce" %}An email about {{ reference }} could not be delivered{% elif problem == "referral-bounce" %}{{ reference }} did not reach the team it was passed to{% else %}Case {{ reference }} needs attention{% endif %}',
  text: `{% extends "staff.txt" %}
{% block body %}
{% include "staff-greeting.txt" %}

{% if problem == "workflow-start-failed" %}
Case {{ reference }} was recorded, but its workflow did not start, so no deadlines are being watched and no officer has been sent a task. Please start it again or handle the case by hand.
{% elif problem == "bounce" %}
An email about case {{ reference }} could not be delivered. Please contact the person another way, for example by phone or letter.
{% elif problem == "referral-bounce" %}
Case {{ reference }} was passed to another team, but the email could not be delivered, so nobody there has it. Please pass it on another way.
{% else %}
Case {{ reference }} needs attention.
{% endif %}

What happened:
{{ detail | paragraphs }}
{% if caseUrl %}

Open the case: {{ caseUrl | httpUrl }}
{% endif %}
{% endblock %}
`,
  html: `{% extends "staff.html" %}
{% block content %}
{% include "staff-greeting.html" %}
{% if problem == "workflow-start-failed" %}
<p>Case {{ reference }} was recorded, but its workflow did not start, so no deadlines are being watched and no officer has been sent a task. Please start it again or handle the case by hand.</p>
{% elif problem == "bounce" %}
<p>An email about case {{ reference }} could not be delivered. Please contact the person another way, for example by phone or letter.</p>
{% elif problem == "referral-bounce" %}
<p>Case {{ reference }} was passed to another team, but the email could not be delivered, so nobody there has it. Please pass it on another way.</p>
{% else %}
<p>Case {{ reference }} needs attention.</p>
{% endif %}
<h2>What happened</h2>
{{ detail | paragraphs }}
{% if caseUrl %}
<p><a href="{{ caseUrl | httpUrl }}">Open case {{ reference }}</a></p>
{% endif %}
{% endblock %}
`,
};
