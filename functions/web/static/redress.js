// Starts GOV.UK Frontend's components (conditional reveals, character count, error summary focus).
// A file rather than an inline script so the Content-Security-Policy can forbid inline scripts.
import { initAll } from './govuk-frontend.min.js';

initAll();

// Evidence uploads go straight to S3, which answers a file over the limit with its own error
// page: with JavaScript, say so here before sending, in the GOV.UK error pattern. Without it,
// the service checks the size again after upload and says so on the next page. The words come
// from the form, in the page's language.
for (const form of document.querySelectorAll('form[data-evidence-upload]')) {
  form.addEventListener('submit', (event) => {
    const input = form.querySelector('input[type="file"]');
    const file = input?.files?.[0];
    const max = Number(form.dataset.maxBytes);
    let message;
    if (!file) message = form.dataset.messageMissing;
    else if (file.size > max) message = form.dataset.messageSize;
    else if (file.size === 0) message = form.dataset.messageEmpty;
    event.preventDefault();
    if (message) showFileError(form, input, message);
    else void send(form, input);
  });
}

// The file goes from here to S3, and the browser then opens the address S3 would have sent it
// to (`success_action_redirect`), where the service checks what arrived and shows the result:
// sent as the form would send it, so S3 answers a refusal (its own page) the same way and the
// service says what was not received. S3 not answering at all (an outage) would leave the
// resident on the browser's error page, not knowing whether anything arrived: instead they stay
// here, told the file was not received and their complaint is safe. The answer is not read
// (no-cors: S3 need not allow this page to read it, and its redirect is followed, so the service
// checks the file once here and again, harmlessly, when the browser opens the address); what
// arrived is the service's to say.
async function send(form, input) {
  const button = form.querySelector('button[type="submit"]');
  const next = form.querySelector('input[name="success_action_redirect"]')?.value;
  if (!next) {
    form.submit();
    return;
  }
  // The browser shows no progress for a fetch as it does for a form: the button says it instead.
  const label = button?.textContent;
  if (button) {
    button.disabled = true;
    button.textContent = form.dataset.messageSending;
  }
  try {
    await fetch(form.action, {
      method: 'POST',
      body: new FormData(form),
      mode: 'no-cors',
      credentials: 'omit',
    });
  } catch {
    if (button) {
      button.disabled = false;
      button.textContent = label;
    }
    showFileError(form, input, form.dataset.messageUnreachable);
    return;
  }
  window.location.assign(next);
}

function showFileError(form, input, message) {
  const group = input.closest('.govuk-form-group');
  group.classList.add('govuk-form-group--error');
  input.classList.add('govuk-file-upload--error');
  // The field's id: GOV.UK's improved upload gives it to its button (which takes the focus and is
  // read out) and adds "-input" to the hidden input's.
  const fieldId = input.id.replace(/-input$/, '');
  const field = document.getElementById(fieldId) ?? input;
  let error = group.querySelector('.govuk-error-message');
  if (!error) {
    error = document.createElement('p');
    error.className = 'govuk-error-message';
    error.id = `${fieldId}-error`;
    const before = input.closest('.govuk-file-upload-wrapper') ?? input;
    before.parentElement.insertBefore(error, before);
    for (const described of new Set([field, input])) {
      described.setAttribute(
        'aria-describedby',
        `${described.getAttribute('aria-describedby') ?? ''} ${error.id}`.trim(),
      );
    }
  }
  const hidden = document.createElement('span');
  hidden.className = 'govuk-visually-hidden';
  hidden.textContent = `${form.dataset.errorHidden}:`;
  error.replaceChildren(hidden, ' ');
  error.append(document.createTextNode(message));
  let summary = document.querySelector('.govuk-error-summary');
  if (!summary) {
    summary = document.createElement('div');
    summary.className = 'govuk-error-summary';
    summary.setAttribute('data-module', 'govuk-error-summary');
    summary.innerHTML =
      '<div role="alert"><h2 class="govuk-error-summary__title"></h2>' +
      '<div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list"><li><a href="#' +
      fieldId +
      '"></a></li></ul></div></div>';
    summary.querySelector('h2').textContent = form.dataset.errorTitle;
    (document.querySelector('main .govuk-grid-column-two-thirds') ?? form).prepend(summary);
  }
  summary.querySelector('a').textContent = message;
  const prefix = form.dataset.errorPrefix;
  if (!document.title.startsWith(prefix)) document.title = `${prefix}${document.title}`;
  summary.setAttribute('tabindex', '-1');
  summary.focus();
}
