import type { EmailTemplateSource } from '../layout.js';

/** Welsh `comment-reply` (see `../comment-reply.ts`). DRAFT: for review by the council's Welsh translation service. */
export const commentReply: EmailTemplateSource = {
  subject: 'Ein hateb i’ch sylw ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Diolch am eich sylw. Rydym yn defnyddio sylwadau fel eich un chi i wella ein gwasanaethau.

{% if reply %}
{{ reply | paragraphs('en') }}
{% else %}
Ni allwn roi ateb llawn i chi eto.

{{ delayReason | paragraphs }}

Byddwn yn anfon ateb llawn atoch erbyn {{ replyBy | longDate }}.
{% endif %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Diolch am eich sylw. Rydym yn defnyddio sylwadau fel eich un chi i wella ein gwasanaethau.</p>
{% if reply %}
{{ reply | paragraphs('en') }}
{% else %}
<p>Ni allwn roi ateb llawn i chi eto.</p>
{{ delayReason | paragraphs }}
<p>Byddwn yn anfon ateb llawn atoch erbyn <strong>{{ replyBy | longDate }}</strong>.</p>
{% endif %}
{% endblock %}
`,
};
