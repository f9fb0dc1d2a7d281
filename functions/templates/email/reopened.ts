import type { EmailTemplateSource } from './layout.js';

/**
 * To the resident: a closed complaint is reopened, who is looking into it and the date of the
 * response. One told before that their message was not a complaint (sent elsewhere, or dealt with
 * as a service request) hears that it now is one. The officer's reason for reopening is not in
 * the data: it is written for colleagues (see `dataFor` in `correspondence.ts`).
 */
export const reopened: EmailTemplateSource = {
  subject:
    '{% if wasRedirected %}We will now deal with your message as a complaint{% else %}We have reopened your complaint{% endif %} ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

{% if wasRedirected %}
We wrote to you before to say that we would not deal with your message as a complaint. We have looked at it again, and we will now deal with it as a complaint.
{% else %}
We have reopened your complaint{% if stage == 2 %} at stage 2{% endif %} and will look at it again.
{% endif %}

{{ handledBy }} is dealing with it. We will send you our response by {{ respondBy | longDate }}. If we need more time, we will tell you why and give you a new date.

If you have anything to add, or your contact details change, {{ replyHow }} quoting your reference.
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
{% if wasRedirected %}
<p>We wrote to you before to say that we would not deal with your message as a complaint. We have looked at it again, and we will now deal with it as a complaint.</p>
{% else %}
<p>We have reopened your complaint{% if stage == 2 %} at stage 2{% endif %} and will look at it again.</p>
{% endif %}
<p>{{ handledBy }} is dealing with it. We will send you our response by <strong>{{ respondBy | longDate }}</strong>. If we need more time, we will tell you why and give you a new date.</p>
<p>If you have anything to add, or your contact details change, {{ replyHow }} quoting your reference.</p>
{% endblock %}
`,
};
