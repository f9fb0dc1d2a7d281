import type { EmailTemplateSource } from './layout.js';

/** To the resident: the complaint is acknowledged, who is dealing with it and when to expect a response. */
export const acknowledgement: EmailTemplateSource = {
  subject: 'Your complaint is being looked into ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Thank you for your complaint. {{ handledBy }} is looking into it.

{% include "understanding.txt" %}
{% if agreeTimescale %}
We will talk to you about your complaint and agree with you how we will deal with it and when you will have our response. We will then write to you with what we agreed.
{% else %}
{% if respondByPassed %}We should have sent you our response by {{ respondBy | longDate }}, and we are sorry that we have not. We will write to you separately with the new date.{% else %}We will send you our response by {{ respondBy | longDate }}. If we need more time, we will tell you why and give you a new date.{% endif %}

{% endif %}

If you have anything to add, or your contact details change, {{ replyHow }} quoting your reference.
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Thank you for your complaint. {{ handledBy }} is looking into it.</p>
{% include "understanding.html" %}
{% if agreeTimescale %}
<p>We will talk to you about your complaint and agree with you how we will deal with it and when you will have our response. We will then write to you with what we agreed.</p>
{% else %}
<p>{% if respondByPassed %}We should have sent you our response by {{ respondBy | longDate }}, and we are sorry that we have not. We will write to you separately with the new date.{% else %}We will send you our response by <strong>{{ respondBy | longDate }}</strong>. If we need more time, we will tell you why and give you a new date.{% endif %}</p>
{% endif %}
<p>If you have anything to add, or your contact details change, {{ replyHow }} quoting your reference.</p>
{% endblock %}
`,
};
