import type { EmailTemplateSource } from './layout.js';

/**
 * To a representative: we need the consent of the person they complain for before we investigate
 * (the unitary council’s Customer Feedback Procedure §8.2.3). Sent at once, to an address not yet
 * confirmed: it carries nothing the sender typed (no names).
 */
export const consentNeeded: EmailTemplateSource = {
  subject: 'We need consent before we look into your complaint ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
Hello,

Thank you for your complaint on behalf of someone else. Before we can look into it, we need the agreement of the person you are complaining for that you can complain for them, because we will share information about them with you.

WHAT TO DO

Ask them to tell us, by email or in writing, that they agree, quoting {{ reference }}. If they cannot agree, for example because they are under 18 or do not have the capacity to decide, tell us why, and we will consider whether you can act for them.

Our complaints team will contact you about it by {{ consentBy | longDate }}. The time we take to respond to your complaint starts when we have consent.
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
<p>Hello,</p>
<p>Thank you for your complaint on behalf of someone else. Before we can look into it, we need the agreement of the person you are complaining for that you can complain for them, because we will share information about them with you.</p>
<h2>What to do</h2>
<p>Ask them to tell us, by email or in writing, that they agree, quoting {{ reference }}. If they cannot agree, for example because they are under 18 or do not have the capacity to decide, tell us why, and we will consider whether you can act for them.</p>
<p>Our complaints team will contact you about it by <strong>{{ consentBy | longDate }}</strong>. The time we take to respond to your complaint starts when we have consent.</p>
{% endblock %}
`,
};
