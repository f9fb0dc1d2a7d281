import type { EmailTemplateSource } from './layout.js';

/**
 * To the resident, straight after they send feedback: that we received it and what happens next,
 * with dates; or, for a message sent elsewhere and brought back into the complaints procedure,
 * that it now is, timed from the day we received it. Nothing the sender typed (name, text) is in it: the address is not confirmed yet.
 */
export const receipt: EmailTemplateSource = {
  subject: 'We have received your {{ kindLabel }} ({{ reference }})',
  text: `{% extends "resident.txt" %}
{% block body %}
Hello,

Thank you for contacting {{ council }}. We received your {{ kindLabel }} on {{ receivedAt | longDate }}.

For your security, this {{ 'letter' if letter else 'email' }} does not repeat what you wrote. If you did not contact us, you do not need to do anything.

WHAT HAPPENS NEXT

{% if kind == 'complaint' %}
{% if broughtBack %}{% if broughtBack.team %}We told you that we had passed your message to {{ broughtBack.team }}.{% else %}We told you that your message was not one for our complaints procedure.{% endif %} {% if broughtBack.notTheirs %}They have told us it is not for them, so we will deal with it under our complaints procedure{% else %}We have looked at it again, and we will deal with it as a complaint under our complaints procedure{% endif %}, with our timescales counted from the day we received it.

{% endif %}
{% if acknowledgeBy %}We will acknowledge your complaint by {{ acknowledgeBy | longDate }} and tell you who is dealing with it.{% else %}We will tell you who is dealing with your complaint.{% endif %}


{% if respondBy %}We aim to send you our full response by {{ respondBy | longDate }}. If we need more time, we will tell you why and give you a new date.{% else %}We will tell you when to expect our full response.{% endif %}

{% elif kind == 'social-care' %}
{% if acknowledgeBy %}Someone from our social care complaints team will contact you by {{ acknowledgeBy | longDate }}{% else %}Someone from our social care complaints team will contact you{% endif %} to talk about your complaint and agree with you how it will be dealt with and how long it will take.
{% elif kind == 'compliment' %}
We will pass your compliment on to the people concerned{% if acknowledgeBy %} and let you know by {{ acknowledgeBy | longDate }}{% endif %}.
{% elif kind == 'comment' %}
{% if respondBy %}We will reply by {{ respondBy | longDate }}. If we cannot reply in full by then, we will tell you why and when we will.{% elif answerByPassed %}We should have replied by {{ answerByPassed | longDate }}, and we are sorry that we have not. We will write to you separately with the new date.{% else %}We will reply to you as soon as we can.{% endif %}
{% else %}
We will pass your views to the people who make this policy, who are often councillors{% if respondBy %}, and give you feedback by {{ respondBy | longDate }}{% endif %}.{% if answerByPassed %} We should have given you feedback by {{ answerByPassed | longDate }}, and we are sorry that we have not. We will write to you separately with the new date.{% endif %}
{% endif %}
{% if checkUrl and not letter %}

You can check where your {{ kindLabel }} is at any time: {{ checkUrl | httpUrl }}
{% endif %}
{% endblock %}
`,
  html: `{% extends "resident.html" %}
{% block content %}
<p>Hello,</p>
<p>Thank you for contacting {{ council }}. We received your {{ kindLabel }} on {{ receivedAt | longDate }}.</p>
<p>For your security, this {{ 'letter' if letter else 'email' }} does not repeat what you wrote. If you did not contact us, you do not need to do anything.</p>
<h2>What happens next</h2>
{% if kind == 'complaint' %}
{% if broughtBack %}<p>{% if broughtBack.team %}We told you that we had passed your message to {{ broughtBack.team }}.{% else %}We told you that your message was not one for our complaints procedure.{% endif %} {% if broughtBack.notTheirs %}They have told us it is not for them, so we will deal with it under our complaints procedure{% else %}We have looked at it again, and we will deal with it as a complaint under our complaints procedure{% endif %}, with our timescales counted from the day we received it.</p>{% endif %}
<p>{% if acknowledgeBy %}We will acknowledge your complaint by <strong>{{ acknowledgeBy | longDate }}</strong> and tell you who is dealing with it.{% else %}We will tell you who is dealing with your complaint.{% endif %}</p>
<p>{% if respondBy %}We aim to send you our full response by <strong>{{ respondBy | longDate }}</strong>. If we need more time, we will tell you why and give you a new date.{% else %}We will tell you when to expect our full response.{% endif %}</p>
{% elif kind == 'social-care' %}
<p>Someone from our social care complaints team will contact you{% if acknowledgeBy %} by <strong>{{ acknowledgeBy | longDate }}</strong>{% endif %} to talk about your complaint and agree with you how it will be dealt with and how long it will take.</p>
{% elif kind == 'compliment' %}
<p>We will pass your compliment on to the people concerned{% if acknowledgeBy %} and let you know by <strong>{{ acknowledgeBy | longDate }}</strong>{% endif %}.</p>
{% elif kind == 'comment' %}
<p>{% if respondBy %}We will reply by <strong>{{ respondBy | longDate }}</strong>. If we cannot reply in full by then, we will tell you why and when we will.{% elif answerByPassed %}We should have replied by {{ answerByPassed | longDate }}, and we are sorry that we have not. We will write to you separately with the new date.{% else %}We will reply to you as soon as we can.{% endif %}</p>
{% else %}
<p>We will pass your views to the people who make this policy, who are often councillors{% if respondBy %}, and give you feedback by <strong>{{ respondBy | longDate }}</strong>{% endif %}.{% if answerByPassed %} We should have given you feedback by {{ answerByPassed | longDate }}, and we are sorry that we have not. We will write to you separately with the new date.{% endif %}</p>
{% endif %}
{% if checkUrl and not letter %}
<p><a href="{{ checkUrl | httpUrl }}">Check where your {{ kindLabel }} is</a> at any time with your reference number and this email address.</p>
{% endif %}
{% endblock %}
`,
};
