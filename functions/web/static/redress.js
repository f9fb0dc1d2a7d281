// Starts GOV.UK Frontend's components (conditional reveals, character count, error summary focus).
// A file rather than an inline script so the Content-Security-Policy can forbid inline scripts.
import { initAll } from './govuk-frontend.min.js';

initAll();

// Evidence uploads go straight to S3, which answers a file over the limit with its own error
// page: with JavaScript, say so here before sending, in the GOV.UK error pattern. Without it,
// the service checks the size again after upload and says so on the next page.
for (const form of document.querySelectorAll('form[data-evidence-upload]')) {
  form.addEventListener('submit', (event) => {
    const input = form.querySelector('input[type="file"]');
    const file = input?.files?.[0];
    const max = Number(form.dataset.maxBytes);
    let message;
    if (!file) message = 'Select a file to upload';
    else if (file.size > max) message = 'The file was not accepted: it is larger than 10 MB';
    else if (file.size === 0) message = 'The file was not accepted: it is empty';
    if (!message) return;
    event.preventDefault();
    showFileError(form, input, message);
  });
}

function showFileError(form, input, message) {
  const group = input.closest('.govuk-form-group');
  group.classList.add('govuk-form-group--error');
  input.classList.add('govuk-file-upload--error');
  let error = group.querySelector('.govuk-error-message');
  if (!error) {
    error = document.createElement('p');
    error.className = 'govuk-error-message';
    error.id = `${input.id}-error`;
    input.parentElement.insertBefore(error, input.closest('.govuk-drop-zone') ?? input);
    input.setAttribute(
      'aria-describedby',
      `${input.getAttribute('aria-describedby') ?? ''} ${error.id}`.trim(),
    );
  }
  error.innerHTML = '<span class="govuk-visually-hidden">Error:</span> ';
  error.append(document.createTextNode(message));
  let summary = document.querySelector('.govuk-error-summary');
  if (!summary) {
    summary = document.createElement('div');
    summary.className = 'govuk-error-summary';
    summary.setAttribute('data-module', 'govuk-error-summary');
    summary.innerHTML =
      '<div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2>' +
      '<div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list"><li><a href="#' +
      input.id +
      '"></a></li></ul></div></div>';
    (document.querySelector('main .govuk-grid-column-two-thirds') ?? form).prepend(summary);
  }
  summary.querySelector('a').textContent = message;
  if (!document.title.startsWith('Error: ')) document.title = `Error: ${document.title}`;
  summary.setAttribute('tabindex', '-1');
  summary.focus();
}
