import type { EmailTemplateSource } from './layout.js';

/** To the team an excluded matter goes to: the case, why it came to them, when the resident expects to hear, and a signed link to the case. */
export const referral: EmailTemplateSource = {
  subject:
    'Passed to you from the complaints process: {{ reference }}, contact the resident by {{ contactBy | longDate }}',
  text: `{% extends "staff.txt" %}
{% block body %}
{% include "staff-greeting.txt" %}

{{ council }} received this message through its complaints and feedback form. It is not handled under the complaints procedure: {{ why }}

It has been passed to you. The resident has been told that {{ team }} has it and will contact them by {{ contactBy | longDate }}.

WHAT THEY TOLD US

{{ summary | paragraphs }}
{% if contact %}

HOW TO CONTACT THEM

{{ contact | paragraphs }}
{% endif %}

Read the case: {{ caseUrl | httpUrl }}

The complaints team will also check that it is not a complaint. If it is, they will handle that part and let you know.
{% endblock %}
`,
  html: `{% extends "staff.html" %}
{% block content %}
{% include "staff-greeting.html" %}
<p>{{ council }} received this message through its complaints and feedback form. It is not handled under the complaints procedure: {{ why }}</p>
<p>It has been passed to you. The resident has been told that {{ team }} has it and will contact them by <strong>{{ contactBy | longDate }}</strong>.</p>
<h2>What they told us</h2>
<blockquote>{{ summary | paragraphs }}</blockquote>
{% if contact %}
<h2>How to contact them</h2>
{{ contact | paragraphs }}
{% endif %}
<p><a href="{{ caseUrl | httpUrl }}">Read case {{ reference }}</a></p>
<p>The complaints team will also check that it is not a complaint. If it is, they will handle that part and let you know.</p>
{% endblock %}
`,
};
