import type { EmailTemplateSource } from './layout.js';

/** To a resident who complained without giving their name: a manager will decide what to do (the unitary council’s Customer Feedback Procedure §4.1). */
export const referredToManager: EmailTemplateSource = {
  subject: 'We have received your complaint ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
Hello,

Thank you for contacting {{ council }}. You sent us your complaint without your name, so we cannot deal with it through our usual complaints procedure.

We have passed it to the manager of the service, who will decide what action to take. Because we do not know who you are, we may not be able to tell you what happens.

If you would like a reply, send us your name and contact details, quoting your reference. We will keep them confidential.
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
<p>Hello,</p>
<p>Thank you for contacting {{ council }}. You sent us your complaint without your name, so we cannot deal with it through our usual complaints procedure.</p>
<p>We have passed it to the manager of the service, who will decide what action to take. Because we do not know who you are, we may not be able to tell you what happens.</p>
<p>If you would like a reply, send us your name and contact details, quoting your reference. We will keep them confidential.</p>
{% endblock %}
`,
};
