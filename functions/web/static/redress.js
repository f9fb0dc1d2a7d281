// Starts GOV.UK Frontend's components (conditional reveals, character count, error summary focus).
// A file rather than an inline script so the Content-Security-Policy can forbid inline scripts.
import { initAll } from './govuk-frontend.min.js';

initAll();
