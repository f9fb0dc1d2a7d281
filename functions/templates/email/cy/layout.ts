/**
 * The shared layouts and partials of the Welsh resident emails and letters: the same structure
 * as `../layout.ts`, in Welsh, with `lang="cy"` on the HTML. A Welsh letter is entirely Welsh
 * (the Welsh Language Standards); only the council's own name and what officers typed are as
 * they were written.
 *
 * DRAFT WELSH: the council's Welsh translation service must review this wording before use
 * (see `./README.md`).
 */

const htmlHead = `<!DOCTYPE html>
<html lang="cy">
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
<p>Eich cyfeirnod yw <strong>{{ reference }}</strong>. Nodwch y cyfeirnod hwn os byddwch yn cysylltu â ni am y mater hwn.</p>
<p>Os oes arnoch angen {{ docThis }} mewn fformat arall, fel print bras neu iaith arall, {% if letter %}rhowch wybod i ni{% else %}atebwch a rhowch wybod i ni{% endif %}.</p>
<p>{{ council }}</p>
</footer>
</div>
</body>
</html>
`;

const residentText = `{% block body %}{% endblock %}

Eich cyfeirnod yw {{ reference }}. Nodwch y cyfeirnod hwn os byddwch yn cysylltu â ni am y mater hwn.
Os oes arnoch angen {{ docThis }} mewn fformat arall, fel print bras neu iaith arall, {% if letter %}rhowch wybod i ni{% else %}atebwch a rhowch wybod i ni{% endif %}.

{{ council }}
`;

// Two newlines: trimBlocks eats the first after a tag, and the greeting needs a blank line after it.
const greetingText = `{% if residentName %}Annwyl {{ residentName }},{% else %}Helo,{% endif %}

`;
const greetingHtml = `<p>{% if residentName %}Annwyl {{ residentName }},{% else %}Helo,{% endif %}</p>
`;

/** After the final stage (or a refusal): the resident can now go to the ombudsman. */
const ombudsmanFinalText = `
OS YDYCH CHI’N DAL YN ANFODLON

Gallwch ofyn i {{ ombudsman.name }} edrych ar eich cwyn. Mae’r gwasanaeth yn rhad ac am ddim ac yn annibynnol, ac nid yw’n cymryd ochr.

{% if ombudsman.kind == 'housing' %}
Mae’r Ombwdsmon Tai yn delio â chwynion am y cyngor fel landlord.
{% elif ombudsman.timeLimit %}
Fel arfer, mae’r Ombwdsmon yn disgwyl i chi gysylltu ag ef o fewn {{ ombudsman.timeLimit.months }} mis {% if ombudsman.timeLimit.from == 'aware' %}i’r adeg y daethoch yn ymwybodol o’r broblem gyntaf{% else %}i ddiwedd ein gweithdrefn gwyno{% endif %}.
{% endif %}

Ffôn: {{ ombudsman.phone }}
Gwefan: {{ ombudsman.url }}
`;
const ombudsmanFinalHtml = `
<h2>Os ydych chi’n dal yn anfodlon</h2>
<p>Gallwch ofyn i {{ ombudsman.name }} edrych ar eich cwyn. Mae’r gwasanaeth yn rhad ac am ddim ac yn annibynnol, ac nid yw’n cymryd ochr.</p>
{% if ombudsman.kind == 'housing' %}
<p>Mae’r Ombwdsmon Tai yn delio â chwynion am y cyngor fel landlord.</p>
{% elif ombudsman.timeLimit %}
<p>Fel arfer, mae’r Ombwdsmon yn disgwyl i chi gysylltu ag ef o fewn {{ ombudsman.timeLimit.months }} mis {% if ombudsman.timeLimit.from == 'aware' %}i’r adeg y daethoch yn ymwybodol o’r broblem gyntaf{% else %}i ddiwedd ein gweithdrefn gwyno{% endif %}.</p>
{% endif %}
<ul>
<li>Ffôn: <a href="{{ ombudsman.phone | tel }}">{{ ombudsman.phone }}</a></li>
<li>Gwefan: <a href="{{ ombudsman.url | httpUrl }}">Gwefan {{ ombudsman.name }}</a></li>
</ul>
`;

/** Before the end of our procedure: the resident may contact the ombudsman, who usually wants us to finish first. */
const ombudsmanEarlyText = `
YR OMBWDSMON

Gallwch gysylltu ag {{ ombudsman.name }} ar unrhyw adeg i gael cyngor. Mae’r gwasanaeth yn rhad ac am ddim ac yn annibynnol.

{% if ombudsman.kind == 'housing' %}
Mae’r Ombwdsmon Tai yn delio â chwynion am y cyngor fel landlord.
{% else %}
Fel arfer, bydd yr Ombwdsmon yn disgwyl i chi orffen ein gweithdrefn gwyno yn gyntaf.
{% endif %}
{% if replyLate %}
Os na fyddwn yn ateb o fewn amser rhesymol, efallai y bydd yr Ombwdsmon yn edrych ar eich cwyn beth bynnag.
{% endif %}

Ffôn: {{ ombudsman.phone }}
Gwefan: {{ ombudsman.url }}
`;
const ombudsmanEarlyHtml = `
<h2>Yr Ombwdsmon</h2>
<p>Gallwch gysylltu ag {{ ombudsman.name }} ar unrhyw adeg i gael cyngor. Mae’r gwasanaeth yn rhad ac am ddim ac yn annibynnol.</p>
{% if ombudsman.kind == 'housing' %}
<p>Mae’r Ombwdsmon Tai yn delio â chwynion am y cyngor fel landlord.</p>
{% else %}
<p>Fel arfer, bydd yr Ombwdsmon yn disgwyl i chi orffen ein gweithdrefn gwyno yn gyntaf.</p>
{% endif %}
{% if replyLate %}
<p>Os na fyddwn yn ateb o fewn amser rhesymol, efallai y bydd yr Ombwdsmon yn edrych ar eich cwyn beth bynnag.</p>
{% endif %}
<ul>
<li>Ffôn: <a href="{{ ombudsman.phone | tel }}">{{ ombudsman.phone }}</a></li>
<li>Gwefan: <a href="{{ ombudsman.url | httpUrl }}">Gwefan {{ ombudsman.name }}</a></li>
</ul>
`;

/** After a decision not to deal with something as a complaint: the resident may ask the ombudsman about that decision. */
const ombudsmanDecisionText = `
YR OMBWDSMON

{% if ownProcedure %}Os ydych chi’n dal i gredu ein bod wedi gwneud camgymeriad{% else %}Os ydych chi’n credu ein bod wedi gwneud camgymeriad wrth beidio ag ymdrin â hyn fel cwyn{% endif %}, gallwch hefyd ofyn i {{ ombudsman.name }} edrych ar ein penderfyniad. Mae’r gwasanaeth yn rhad ac am ddim ac yn annibynnol.

Ffôn: {{ ombudsman.phone }}
Gwefan: {{ ombudsman.url }}
`;
const ombudsmanDecisionHtml = `
<h2>Yr Ombwdsmon</h2>
<p>{% if ownProcedure %}Os ydych chi’n dal i gredu ein bod wedi gwneud camgymeriad{% else %}Os ydych chi’n credu ein bod wedi gwneud camgymeriad wrth beidio ag ymdrin â hyn fel cwyn{% endif %}, gallwch hefyd ofyn i {{ ombudsman.name }} edrych ar ein penderfyniad. Mae’r gwasanaeth yn rhad ac am ddim ac yn annibynnol.</p>
<ul>
<li>Ffôn: <a href="{{ ombudsman.phone | tel }}">{{ ombudsman.phone }}</a></li>
<li>Gwefan: <a href="{{ ombudsman.url | httpUrl }}">Gwefan {{ ombudsman.name }}</a></li>
</ul>
`;

/** The decision, reasons, remedy and actions of a response (Dudley MBC Corporate Customer Feedback Procedure, June 2019, §5). */
const outcomeText = `
EIN PENDERFYNIAD

{% if outcome == 'resolved' %}
Rydym wedi datrys eich cwyn. Pan edrychon ni arni gyntaf, cytunon ni â chi beth y byddem yn ei wneud i unioni pethau, a dyma beth a wnaethom.
{% elif outcome == 'upheld' %}
Rydym wedi cadarnhau eich cwyn. Mae hyn yn golygu ein bod yn cytuno ein bod wedi gwneud pethau’n anghywir, ac mae’n ddrwg gennym.
{% elif outcome == 'partially-upheld' %}
Rydym wedi cadarnhau eich cwyn yn rhannol. Mae hyn yn golygu ein bod yn cytuno ein bod wedi gwneud rhai pethau’n anghywir, ond nid popeth a godwyd gennych. Mae’n ddrwg gennym am y pethau a wnaethom yn anghywir.
{% else %}
Nid ydym wedi cadarnhau eich cwyn. Mae hyn yn golygu, ar ôl edrych arni’n ofalus, nad ydym yn credu ein bod wedi gwneud unrhyw beth o’i le. Rydym yn esbonio pam isod.
{% endif %}

{% if outcome == 'resolved' %}BETH A WNAETHOM{% else %}PAM Y DAETHOM I’R PENDERFYNIAD HWN{% endif %}


{{ reasons | paragraphs('en') }}
{% if remedy %}

BETH Y BYDDWN YN EI WNEUD I UNIONI PETHAU

{{ remedy | paragraphs('en') }}
{% endif %}
{% if actions and actions.length %}

BETH Y BYDDWN YN EI NEWID

{% for action in actions %}
- {{ action | inLanguage('en') }}
{% endfor %}
{% endif %}

{{ respondent }}
`;
const outcomeHtml = `
<h2>Ein penderfyniad</h2>
{% if outcome == 'resolved' %}
<p><strong>Rydym wedi datrys eich cwyn.</strong> Pan edrychon ni arni gyntaf, cytunon ni â chi beth y byddem yn ei wneud i unioni pethau, a dyma beth a wnaethom.</p>
{% elif outcome == 'upheld' %}
<p><strong>Rydym wedi cadarnhau eich cwyn.</strong> Mae hyn yn golygu ein bod yn cytuno ein bod wedi gwneud pethau’n anghywir, ac mae’n ddrwg gennym.</p>
{% elif outcome == 'partially-upheld' %}
<p><strong>Rydym wedi cadarnhau eich cwyn yn rhannol.</strong> Mae hyn yn golygu ein bod yn cytuno ein bod wedi gwneud rhai pethau’n anghywir, ond nid popeth a godwyd gennych. Mae’n ddrwg gennym am y pethau a wnaethom yn anghywir.</p>
{% else %}
<p><strong>Nid ydym wedi cadarnhau eich cwyn.</strong> Mae hyn yn golygu, ar ôl edrych arni’n ofalus, nad ydym yn credu ein bod wedi gwneud unrhyw beth o’i le. Rydym yn esbonio pam isod.</p>
{% endif %}
<h2>{% if outcome == 'resolved' %}Beth a wnaethom{% else %}Pam y daethom i’r penderfyniad hwn{% endif %}</h2>
{{ reasons | paragraphs('en') }}
{% if remedy %}
<h2>Beth y byddwn yn ei wneud i unioni pethau</h2>
{{ remedy | paragraphs('en') }}
{% endif %}
{% if actions and actions.length %}
<h2>Beth y byddwn yn ei newid</h2>
<ul>
{% for action in actions %}
<li lang="en">{{ action }}</li>
{% endfor %}
</ul>
{% endif %}
<p>{{ respondent }}</p>
`;

/** Layouts and partials by the name templates use in `extends` and `include` (resident ones only: staff mail is English). */
/** Welsh `understanding.txt` and `.html` (see `../layout.ts`): the officer's words are English, and marked so. */
const understandingText = `{% if understanding %}
EIN DEALLTWRIAETH O’CH CWYN

{{ understanding | paragraphs('en') }}

Os ydym wedi camddeall unrhyw beth, {{ replyHow }} a dywedwch wrthym.

BETH SY’N DIGWYDD NESAF

{% endif %}
`;
const understandingHtml = `{% if understanding %}
<h2>Ein dealltwriaeth o’ch cwyn</h2>
{{ understanding | paragraphs('en') }}
<p>Os ydym wedi camddeall unrhyw beth, {{ replyHow }} a dywedwch wrthym.</p>
<h2>Beth sy’n digwydd nesaf</h2>
{% endif %}
`;

export const WELSH_PARTIALS: Record<string, string> = {
  'resident.html': residentHtml,
  'resident.txt': residentText,
  'greeting.txt': greetingText,
  'greeting.html': greetingHtml,
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
};
