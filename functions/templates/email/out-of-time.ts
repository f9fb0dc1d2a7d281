import type { EmailTemplateSource } from './layout.js';

/** To the resident: the complaint came after the policy's time limit and will not be investigated; reasons and the Ombudsman (the Code §2.2, §2.4). */
export const outOfTime: EmailTemplateSource = {
  subject: 'We will not investigate your complaint ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
{% include "greeting.txt" %}

Thank you for your complaint. You told us that what you are complaining about happened, or that you found out about it, on {{ happenedOn | longDate }}. Our complaints procedure asks for complaints to be made within {{ months }} months of that, which was by {{ limitEnded | longDate }}.

We have looked at whether we should investigate it anyway, and decided not to.

WHY

{{ reasons | paragraphs }}
{% include "ombudsman-final.txt" %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
{% include "greeting.html" %}
<p>Thank you for your complaint. You told us that what you are complaining about happened, or that you found out about it, on {{ happenedOn | longDate }}. Our complaints procedure asks for complaints to be made within {{ months }} months of that, which was by {{ limitEnded | longDate }}.</p>
<p>We have looked at whether we should investigate it anyway, and decided not to.</p>
<h2>Why</h2>
{{ reasons | paragraphs }}
{% include "ombudsman-final.html" %}
{% endblock %}
`,
};
