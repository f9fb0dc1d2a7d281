/**
 * Shared layouts and partials for the email templates, kept as strings so they are bundled with
 * the code (see `render-email.ts` for why). Templates `{% extends "resident.html" %}` etc. and
 * `{% include "ombudsman-final.txt" %}`; the in-memory loader serves these by name.
 */

/** One email: nunjucks sources for the subject line, the plain-text body and the HTML body. */
export interface EmailTemplateSource {
  subject: string;
  text: string;
  html: string;
}

/*
 * Styling follows GOV.UK Notify: one column, Arial, 19px text, #0b0c0c on white (contrast 19:1),
 * links #1d70b8 (5.2:1), a green button #00703c with white text (5.9:1). Styles are inline where
 * they matter, because many mail clients drop <style>. No layout tables and no images.
 */
const htmlHead = `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>{{ subject }}</title>
<style>
body { margin: 0; padding: 0; background-color: #ffffff; color: #0b0c0c; font-family: Arial, Helvetica, sans-serif; font-size: 19px; line-height: 1.5; }
h1 { font-size: 32px; line-height: 1.2; margin: 0 0 20px; }
h2 { font-size: 24px; line-height: 1.25; margin: 30px 0 15px; }
p, ul { margin: 0 0 15px; }
a { color: #1d70b8; }
blockquote { margin: 0 0 15px; padding: 10px 15px; border-left: 5px solid #b1b4b6; }
</style>
</head>
<body style="margin:0;padding:0;background-color:#ffffff;color:#0b0c0c;font-family:Arial,Helvetica,sans-serif;font-size:19px;line-height:1.5;">
<div style="max-width:640px;margin:0 auto;padding:20px;">
<header style="border-bottom:8px solid #1d70b8;padding-bottom:10px;margin-bottom:20px;">
<p style="margin:0;font-size:24px;font-weight:bold;">{{ council }}</p>
</header>
<main>
<h1 style="font-size:32px;line-height:1.2;margin:0 0 20px;">{% block heading %}{{ subject }}{% endblock %}</h1>
{% block content %}{% endblock %}
</main>`;

const residentHtml = `${htmlHead}
<footer style="border-top:1px solid #b1b4b6;margin-top:30px;padding-top:10px;font-size:16px;">
<p>Your reference is <strong>{{ reference }}</strong>. Please quote it if you contact us about this.</p>
<p>If you need this {{ doc }} in another format, such as large print or another language, {% if letter %}tell us{% else %}reply and tell us{% endif %}.</p>
<p>{{ council }}</p>
</footer>
</div>
</body>
</html>
`;

const staffHtml = `${htmlHead}
<footer style="border-top:1px solid #b1b4b6;margin-top:30px;padding-top:10px;font-size:16px;">
<p>Case reference: <strong>{{ reference }}</strong>. Sent by Redress for {{ council }}.{% if taskUrl or caseUrl %} Do not forward this email: its link is for you.{% endif %}</p>
</footer>
</div>
</body>
</html>
`;

const residentText = `{% block body %}{% endblock %}

Your reference is {{ reference }}. Please quote it if you contact us about this.
If you need this {{ doc }} in another format, such as large print or another language, {% if letter %}tell us{% else %}reply and tell us{% endif %}.

{{ council }}
`;

const staffText = `{% block body %}{% endblock %}

Case reference: {{ reference }}
Sent by Redress for {{ council }}.{% if taskUrl or caseUrl %} Do not forward this email: its link is for you.{% endif %}
`;

// Two newlines: trimBlocks eats the first after a tag, and the greeting needs a blank line after it.
const greetingText = `{% if residentName %}Dear {{ residentName }},{% else %}Hello,{% endif %}

`;
const greetingHtml = `<p>{% if residentName %}Dear {{ residentName }},{% else %}Hello,{% endif %}</p>
`;
const staffGreetingText = `{% if officerName %}Dear {{ officerName }},{% else %}Hello,{% endif %}

`;
const staffGreetingHtml = `<p>{% if officerName %}Dear {{ officerName }},{% else %}Hello,{% endif %}</p>
`;

/** After the final stage (or a refusal): the resident can now go to the ombudsman. */
const ombudsmanFinalText = `
IF YOU ARE STILL UNHAPPY

You can ask the {{ ombudsman.name }} to look at your complaint. It is free, independent and does not take sides.

{% if ombudsman.kind == 'housing' %}
The Housing Ombudsman deals with complaints about {{ council }} as a landlord.
{% elif ombudsman.timeLimit %}
The Ombudsman usually expects you to contact them within {{ ombudsman.timeLimit.months }} months of {% if ombudsman.timeLimit.from == 'aware' %}when you first knew about the problem{% else %}the end of our complaints procedure{% endif %}.
{% endif %}

Phone: {{ ombudsman.phone }}
Website: {{ ombudsman.url }}
`;
const ombudsmanFinalHtml = `
<h2>If you are still unhappy</h2>
<p>You can ask the {{ ombudsman.name }} to look at your complaint. It is free, independent and does not take sides.</p>
{% if ombudsman.kind == 'housing' %}
<p>The Housing Ombudsman deals with complaints about {{ council }} as a landlord.</p>
{% elif ombudsman.timeLimit %}
<p>The Ombudsman usually expects you to contact them within {{ ombudsman.timeLimit.months }} months of {% if ombudsman.timeLimit.from == 'aware' %}when you first knew about the problem{% else %}the end of our complaints procedure{% endif %}.</p>
{% endif %}
<ul>
<li>Phone: <a href="{{ ombudsman.phone | tel }}">{{ ombudsman.phone }}</a></li>
<li>Website: <a href="{{ ombudsman.url | httpUrl }}">{{ ombudsman.name }} website</a></li>
</ul>
`;

/** Before the end of our procedure: the resident may contact the ombudsman, who usually wants us to finish first. */
const ombudsmanEarlyText = `
THE OMBUDSMAN

You can contact the {{ ombudsman.name }} at any time for advice. It is free and independent.

{% if ombudsman.kind == 'housing' %}
The Housing Ombudsman deals with complaints about {{ council }} as a landlord.
{% else %}
The Ombudsman will usually expect you to finish our complaints procedure first.
{% endif %}
{% if replyLate %}
If we do not reply within a reasonable time, the Ombudsman may look at your complaint anyway.
{% endif %}

Phone: {{ ombudsman.phone }}
Website: {{ ombudsman.url }}
`;
const ombudsmanEarlyHtml = `
<h2>The Ombudsman</h2>
<p>You can contact the {{ ombudsman.name }} at any time for advice. It is free and independent.</p>
{% if ombudsman.kind == 'housing' %}
<p>The Housing Ombudsman deals with complaints about {{ council }} as a landlord.</p>
{% else %}
<p>The Ombudsman will usually expect you to finish our complaints procedure first.</p>
{% endif %}
{% if replyLate %}
<p>If we do not reply within a reasonable time, the Ombudsman may look at your complaint anyway.</p>
{% endif %}
<ul>
<li>Phone: <a href="{{ ombudsman.phone | tel }}">{{ ombudsman.phone }}</a></li>
<li>Website: <a href="{{ ombudsman.url | httpUrl }}">{{ ombudsman.name }} website</a></li>
</ul>
`;

/** After a decision not to deal with something as a complaint: the resident may ask the ombudsman about that decision. */
const ombudsmanDecisionText = `
THE OMBUDSMAN

{% if ownProcedure %}If you still think we were wrong, you{% else %}If you think we were wrong not to treat this as a complaint, you{% endif %} can also ask the {{ ombudsman.name }} to look at our decision. It is free and independent.

Phone: {{ ombudsman.phone }}
Website: {{ ombudsman.url }}
`;
const ombudsmanDecisionHtml = `
<h2>The Ombudsman</h2>
<p>{% if ownProcedure %}If you still think we were wrong, you{% else %}If you think we were wrong not to treat this as a complaint, you{% endif %} can also ask the {{ ombudsman.name }} to look at our decision. It is free and independent.</p>
<ul>
<li>Phone: <a href="{{ ombudsman.phone | tel }}">{{ ombudsman.phone }}</a></li>
<li>Website: <a href="{{ ombudsman.url | httpUrl }}">{{ ombudsman.name }} website</a></li>
</ul>
`;

/** The decision, reasons, remedy and actions of a response (Dudley MBC Corporate Customer Feedback Procedure, June 2019, §5). */
const outcomeText = `
OUR DECISION

{% if outcome == 'resolved' %}
We have resolved your complaint. We agreed with you what we would do to put things right when we first looked into it, and this is what we did.
{% elif outcome == 'upheld' %}
We have upheld your complaint. This means we agree that we got things wrong, and we are sorry.
{% elif outcome == 'partially-upheld' %}
We have partially upheld your complaint. This means we agree that we got some things wrong, but not everything you raised. We are sorry for the things we got wrong.
{% else %}
We have not upheld your complaint. This means that, having looked into it carefully, we do not think we did anything wrong. We explain why below.
{% endif %}

{% if outcome == 'resolved' %}WHAT WE DID{% else %}WHY WE DECIDED THIS{% endif %}


{{ reasons | paragraphs }}
{% if remedy %}

WHAT WE WILL DO TO PUT THINGS RIGHT

{{ remedy | paragraphs }}
{% endif %}
{% if actions and actions.length %}

WHAT WE WILL CHANGE

{% for action in actions %}
- {{ action }}
{% endfor %}
{% endif %}

{{ respondent }}
`;
const outcomeHtml = `
<h2>Our decision</h2>
{% if outcome == 'resolved' %}
<p><strong>We have resolved your complaint.</strong> We agreed with you what we would do to put things right when we first looked into it, and this is what we did.</p>
{% elif outcome == 'upheld' %}
<p><strong>We have upheld your complaint.</strong> This means we agree that we got things wrong, and we are sorry.</p>
{% elif outcome == 'partially-upheld' %}
<p><strong>We have partially upheld your complaint.</strong> This means we agree that we got some things wrong, but not everything you raised. We are sorry for the things we got wrong.</p>
{% else %}
<p><strong>We have not upheld your complaint.</strong> This means that, having looked into it carefully, we do not think we did anything wrong. We explain why below.</p>
{% endif %}
<h2>{% if outcome == 'resolved' %}What we did{% else %}Why we decided this{% endif %}</h2>
{{ reasons | paragraphs }}
{% if remedy %}
<h2>What we will do to put things right</h2>
{{ remedy | paragraphs }}
{% endif %}
{% if actions and actions.length %}
<h2>What we will change</h2>
<ul>
{% for action in actions %}
<li>{{ action }}</li>
{% endfor %}
</ul>
{% endif %}
<p>{{ respondent }}</p>
`;

/** The officer's task: what, by when, and the button to the signed task page. */
const taskText = `

WHAT YOU NEED TO DO

{{ taskHelp }}

Do this by: {{ dueBy | longDate }}
{% if passedTo %}

Passed to: {{ passedTo }}
{% endif %}

{{ caseKindLabel | capitalize }}{% if stage == 2 %} (stage 2){% endif %}{% if service %} about {{ service }}{% endif %}:
{{ summary | paragraphs }}
{% if stage1Words %}

Our stage 1 response ({{ stage1Outcome }}):
{{ stage1Words | paragraphs }}
{% if stage1WordsShortened %}

(Shortened here. The task page shows all of it.)
{% endif %}
{% endif %}
{% if stage2Request %}

Why the resident asked for stage 2:
{% if stage2Request.grounds.length %}
Grounds they chose: {{ stage2Request.grounds | join("; ") }}
{% endif %}
{% if stage2Words %}
{{ stage2Words | paragraphs }}
{% if stage2WordsShortened %}

(Shortened here. The task page shows all they wrote.)
{% endif %}
{% elif not stage2Request.grounds.length %}
They did not say. They do not have to give reasons.
{% endif %}
{% endif %}
{% if accessibilityNeeds %}

How they asked us to contact them: {{ accessibilityNeeds }}
{% endif %}

Open the task page: {{ taskUrl | httpUrl }}
`;
const taskHtml = `
<h2>What you need to do</h2>
<p>{{ taskHelp }}</p>
<p>Do this by: <strong>{{ dueBy | longDate }}</strong></p>
{% if passedTo %}
<p>Passed to: {{ passedTo }}</p>
{% endif %}
<h2>What it is about</h2>
<p>{{ caseKindLabel | capitalize }}{% if stage == 2 %} (stage 2){% endif %}{% if service %} about {{ service }}{% endif %}:</p>
<blockquote>{{ summary | paragraphs }}</blockquote>
{% if stage1Words %}
<h2>Our stage 1 response ({{ stage1Outcome }})</h2>
<blockquote>{{ stage1Words | paragraphs }}</blockquote>
{% if stage1WordsShortened %}
<p>(Shortened here. The task page shows all of it.)</p>
{% endif %}
{% endif %}
{% if stage2Request %}
<h2>Why the resident asked for stage 2</h2>
{% if stage2Request.grounds.length %}
<p>Grounds they chose: <strong>{{ stage2Request.grounds | join("; ") }}</strong></p>
{% endif %}
{% if stage2Words %}
<blockquote>{{ stage2Words | paragraphs }}</blockquote>
{% if stage2WordsShortened %}
<p>(Shortened here. The task page shows all they wrote.)</p>
{% endif %}
{% elif not stage2Request.grounds.length %}
<p>They did not say. They do not have to give reasons.</p>
{% endif %}
{% endif %}
{% if accessibilityNeeds %}
<p>How they asked us to contact them: <strong>{{ accessibilityNeeds }}</strong></p>
{% endif %}
<p><a href="{{ taskUrl | httpUrl }}" style="display:inline-block;background-color:#00703c;color:#ffffff;font-weight:bold;padding:10px 16px;text-decoration:none;border-bottom:2px solid #002d18;">{{ taskTitle }} ({{ reference }})</a></p>
<p>The link opens a page that shows the case first; nothing happens until you submit the form there.</p>
`;

/** Layouts and partials by the name templates use in `extends` and `include`. */
/**
 * Our understanding of the complaint and the outcome the resident wants, as the officer who
 * acknowledged it wrote it (the Code §5.4), and the heading for what happens next after it.
 * Two newlines after each tag: trimBlocks eats the first.
 */
const understandingText = `{% if understanding %}
OUR UNDERSTANDING OF YOUR COMPLAINT

{{ understanding | paragraphs }}

If we have misunderstood anything, {{ replyHow }} and tell us.

WHAT HAPPENS NEXT

{% endif %}
`;
const understandingHtml = `{% if understanding %}
<h2>Our understanding of your complaint</h2>
{{ understanding | paragraphs }}
<p>If we have misunderstood anything, {{ replyHow }} and tell us.</p>
<h2>What happens next</h2>
{% endif %}
`;

export const PARTIALS: Record<string, string> = {
  'resident.html': residentHtml,
  'resident.txt': residentText,
  'staff.html': staffHtml,
  'staff.txt': staffText,
  'greeting.txt': greetingText,
  'greeting.html': greetingHtml,
  'staff-greeting.txt': staffGreetingText,
  'staff-greeting.html': staffGreetingHtml,
  'ombudsman-final.txt': ombudsmanFinalText,
  'ombudsman-final.html': ombudsmanFinalHtml,
  'ombudsman-early.txt': ombudsmanEarlyText,
  'ombudsman-early.html': ombudsmanEarlyHtml,
  'ombudsman-decision.txt': ombudsmanDecisionText,
  'ombudsman-decision.html': ombudsmanDecisionHtml,
  'outcome.txt': outcomeText,
  'outcome.html': outcomeHtml,
  'understanding.txt': understandingText,
  'understanding.html': understandingHtml,
  'task.txt': taskText,
  'task.html': taskHtml,
};
