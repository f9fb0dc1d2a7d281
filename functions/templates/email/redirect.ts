import type { EmailTemplateSource } from './layout.js';

/**
 * To the resident: their message is outside the complaints procedure; where it has gone (the
 * team's address, and the date they will hear by where the policy sets one) or where to go, that the complaints team checks it, and the right
 * to go to the Ombudsman about that decision (the Code §2.4).
 */
export const redirect: EmailTemplateSource = {
  subject: 'What happens to your message ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Thank you for contacting {{ council }}. We have recorded your message.
{% if summary %}

WHAT YOU TOLD US

{{ summary | paragraphs }}
{% endif %}

WHAT HAPPENS NEXT
{% if referral %}

We have passed your message to {{ referral.team }}.{% if referral.contactBy %} They will contact you by {{ referral.contactBy | longDate }}.{% if referral.email %} If you have not heard from them by then, email them at {{ referral.email }}.{% endif %}{% elif referral.email %} You can email them at {{ referral.email }}.{% endif %}

{% endif %}

{{ redirect | paragraphs }}
{% if reach %}
{% if reach.url %}

You can find how to contact {{ reach.team or "them" }} at {{ reach.url }}{% if reach.phone %}, or phone them on {{ reach.phone }}{% endif %}.
{% elif reach.phone %}

You can phone {{ reach.team or "them" }} on {{ reach.phone }}.
{% elif not reach.named %}

If you cannot find how to contact {{ reach.team or "them" }}, {{ replyHow }} and we will tell you.
{% endif %}
{% endif %}
{% if checked %}

{% if ownProcedure %}
Our complaints team will also check that your complaint belongs under that procedure. If it should be dealt with under our corporate complaints procedure instead, we will write to you again.
{% else %}
Our complaints team will also check that your message should not be dealt with as a complaint. If it should, we will write to you again.
{% endif %}
{% endif %}
{% if ombudsman %}

{% if ownProcedure %}
If you think we should have dealt with your complaint under our corporate complaints procedure, {{ replyHow }} and tell us why.
{% else %}
If you think we should have dealt with your message as a complaint, {{ replyHow }} and tell us why.
{% endif %}
{% include "ombudsman-decision.txt" %}
{% endif %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Thank you for contacting {{ council }}. We have recorded your message.</p>
{% if summary %}
<h2>What you told us</h2>
<blockquote>{{ summary | paragraphs }}</blockquote>
{% endif %}
<h2>What happens next</h2>
{% if referral %}
<p>We have passed your message to {{ referral.team }}.{% if referral.contactBy %} They will contact you by <strong>{{ referral.contactBy | longDate }}</strong>.{% if referral.email %} If you have not heard from them by then, email them at {{ referral.email }}.{% endif %}{% elif referral.email %} You can email them at {{ referral.email }}.{% endif %}</p>
{% endif %}
{{ redirect | paragraphs }}
{% if reach %}
{% if reach.url %}
<p>You can find how to contact {{ reach.team or "them" }} at {{ reach.url }}{% if reach.phone %}, or phone them on {{ reach.phone }}{% endif %}.</p>
{% elif reach.phone %}
<p>You can phone {{ reach.team or "them" }} on {{ reach.phone }}.</p>
{% elif not reach.named %}
<p>If you cannot find how to contact {{ reach.team or "them" }}, {{ replyHow }} and we will tell you.</p>
{% endif %}
{% endif %}
{% if checked %}
{% if ownProcedure %}
<p>Our complaints team will also check that your complaint belongs under that procedure. If it should be dealt with under our corporate complaints procedure instead, we will write to you again.</p>
{% else %}
<p>Our complaints team will also check that your message should not be dealt with as a complaint. If it should, we will write to you again.</p>
{% endif %}
{% endif %}
{% if ombudsman %}
{% if ownProcedure %}
<p>If you think we should have dealt with your complaint under our corporate complaints procedure, {{ replyHow }} and tell us why.</p>
{% else %}
<p>If you think we should have dealt with your message as a complaint, {{ replyHow }} and tell us why.</p>
{% endif %}
{% include "ombudsman-decision.html" %}
{% endif %}
{% endblock %}
`,
};
