import type { EmailTemplateSource } from './layout.js';

/**
 * To the complainant: six months have passed since we received the complaint and our response
 * has not been sent; why, and when it will be (SI 2009/309 reg. 14(2)). It names only what is
 * true: the agreed date (still ahead, or passed), and the manager only when they were told.
 */
export const socialCareSixMonths: EmailTemplateSource = {
  subject: 'Your complaint: six months on ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

We received your complaint on {{ receivedAt | longDate }}. It is now six months since then and we have not yet sent you our response. The law asks us to tell you this in writing, and why.

WHY

We are still working through the plan we agreed with you:

{{ plan | paragraphs }}

WHEN YOU WILL HEAR FROM US

We agreed with you that we would send our response by {{ respondBy | longDate }}.{% if respondByPassed %} That date has passed, and we are sorry. The manager of the service has been told, and we will send our response as soon as we can.{% else %} We will send it by then.{% endif %}


If you want to talk about the plan or the date, contact {{ contactName }}, quoting your reference.
{% include "ombudsman-early.txt" %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>We received your complaint on {{ receivedAt | longDate }}. It is now six months since then and we have not yet sent you our response. The law asks us to tell you this in writing, and why.</p>
<h2>Why</h2>
<p>We are still working through the plan we agreed with you:</p>
<blockquote>{{ plan | paragraphs }}</blockquote>
<h2>When you will hear from us</h2>
<p>We agreed with you that we would send our response by <strong>{{ respondBy | longDate }}</strong>.{% if respondByPassed %} That date has passed, and we are sorry. The manager of the service has been told, and we will send our response as soon as we can.{% else %} We will send it by then.{% endif %}</p>
<p>If you want to talk about the plan or the date, contact {{ contactName }}, quoting your reference.</p>
{% include "ombudsman-early.html" %}
{% endblock %}
`,
};
