import type { EmailTemplateSource } from './layout.js';

/**
 * To the complainant who is satisfied: the written response SI 2009/309 reg. 14 requires however
 * the complaint ends (how it was considered, what was done), with the right to go to the
 * Local Government and Social Care Ombudsman.
 */
export const socialCareResponse: EmailTemplateSource = {
  subject: 'Our response to your complaint ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Thank you for telling us that you are satisfied with how we have dealt with your complaint. This is our written response.

HOW WE DEALT WITH YOUR COMPLAINT

We agreed this plan with you:

{{ plan | paragraphs }}

WHAT WE FOUND AND WHAT WE DID

{{ response | paragraphs }}

{{ respondent }}

This is the end of our complaints procedure.
{% include "ombudsman-final.txt" %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Thank you for telling us that you are satisfied with how we have dealt with your complaint. This is our written response.</p>
<h2>How we dealt with your complaint</h2>
<p>We agreed this plan with you:</p>
<blockquote>{{ plan | paragraphs }}</blockquote>
<h2>What we found and what we did</h2>
{{ response | paragraphs }}
<p>{{ respondent }}</p>
<p>This is the end of our complaints procedure.</p>
{% include "ombudsman-final.html" %}
{% endblock %}
`,
};
