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
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), uploadTimeoutMs(input.files[0].size));
  try {
    await fetch(form.action, {
      method: 'POST',
      body: new FormData(form),
      mode: 'no-cors',
      credentials: 'omit',
      signal: abort.signal,
    });
  } catch {
    if (button) {
      button.disabled = false;
      button.textContent = label;
    }
    // Given up on (S3 took the upload and said nothing), or S3 could not be reached at all. Sent
    // again from this page, the file goes to the same key: at most one file comes of both.
    const message = abort.signal.aborted ? form.dataset.messageTimedOut : form.dataset.messageUnreachable;
    showFileError(form, input, message);
    return;
  } finally {
    clearTimeout(timer);
  }
  window.location.assign(next);
}

// How long a file may take to reach S3 before the page gives up on it: S3 that takes the
// connection and never answers would otherwise leave "Uploading your file…" on the button for
// ever. A fetch tells nothing of an upload's progress, so the limit grows with the file instead:
// 20 seconds for S3 to answer, plus the file's time at 32 KB a second (256 kbit/s, slower than
// any broadband line and a weak mobile signal send), so the largest file (10 MB) gets about five
// and a half minutes, still well inside the 15 minutes its form may be used. A timer and an
// AbortController rather than AbortSignal.timeout, which browsers of a few years ago (Safari
// before 16) do not have: there, the page would refuse every file instead of sending it.
const UPLOAD_ANSWER_MS = 20_000;
const UPLOAD_BYTES_PER_MS = 32;

function uploadTimeoutMs(bytes) {
  return UPLOAD_ANSWER_MS + Math.ceil(bytes / UPLOAD_BYTES_PER_MS);
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
