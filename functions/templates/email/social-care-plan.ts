import type { EmailTemplateSource } from './layout.js';

/** To the complainant: the resolution plan and timeframe agreed with them (statutory social care, the statutory adult social care complaints procedure). */
export const socialCarePlan: EmailTemplateSource = {
  subject: 'How we will deal with your complaint: the plan we agreed ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Thank you for talking to us about your complaint. This {{ doc }} confirms what we agreed.

THE PLAN

{{ plan | paragraphs }}

WHEN YOU WILL HEAR FROM US

We will send you our response by {{ respondBy | longDate }}. If we cannot keep to this, we will tell you why and agree a new date with you.

Your contact is {{ contactName }}. If anything changes, or you think the plan is not right, {{ replyHow }}.
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Thank you for talking to us about your complaint. This {{ doc }} confirms what we agreed.</p>
<h2>The plan</h2>
{{ plan | paragraphs }}
<h2>When you will hear from us</h2>
<p>We will send you our response by <strong>{{ respondBy | longDate }}</strong>. If we cannot keep to this, we will tell you why and agree a new date with you.</p>
<p>Your contact is {{ contactName }}. If anything changes, or you think the plan is not right, {{ replyHow }}.</p>
{% endblock %}
`,
};
