import type { EmailTemplateSource } from './layout.js';

/** To the resident: the nominated officer's decision that their contact is unreasonably persistent (Dudley MBC Corporate Customer Feedback Procedure, June 2019, §6). */
export const vexatiousDecision: EmailTemplateSource = {
  subject: 'How we will deal with your contact from now on ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

We are writing about how you have been contacting us about your complaint.

OUR DECISION

{{ decision | paragraphs }}

WHAT THIS MEANS

{% if closes %}
We have closed your complaint and will not look into it any further.

{% endif %}
{% for restriction in restrictions %}
- {{ restriction }}
{% endfor %}

We will still read and record everything you send us, and a senior officer will decide whether it needs a reply. If you raise a new matter, we will deal with it in the usual way.
{% if reviewBy %}

We will review this decision by {{ reviewBy | longDate }}.
{% endif %}
{% if ombudsman %}
{% include "ombudsman-final.txt" %}
{% endif %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>We are writing about how you have been contacting us about your complaint.</p>
<h2>Our decision</h2>
{{ decision | paragraphs }}
<h2>What this means</h2>
{% if closes %}
<p>We have closed your complaint and will not look into it any further.</p>
{% endif %}
<ul>
{% for restriction in restrictions %}
<li>{{ restriction }}</li>
{% endfor %}
</ul>
<p>We will still read and record everything you send us, and a senior officer will decide whether it needs a reply. If you raise a new matter, we will deal with it in the usual way.</p>
{% if reviewBy %}
<p>We will review this decision by <strong>{{ reviewBy | longDate }}</strong>.</p>
{% endif %}
{% if ombudsman %}
{% include "ombudsman-final.html" %}
{% endif %}
{% endblock %}
`,
};
