/**
 * Content types API Gateway passes through as binary (base64 from Lambda): the web fonts and
 * images of GOV.UK Frontend. Browsers request fonts and images with `Accept: *\/*`, and API
 * Gateway decides by the request's Accept header, so `*\/*` is listed too; the handler decodes
 * base64 request bodies (`functions/http/request.ts`). One list for the deployed REST API
 * (`infra/constructs/api.ts`) and the local API Gateway stand-in, kept free of aws-cdk-lib so
 * the local runtime loads it cheaply.
 */
export const BINARY_MEDIA_TYPES = [
  'application/pdf',
  'application/zip',
  'font/woff2',
  'font/woff',
  'image/png',
  'image/x-icon',
  'application/manifest+json',
  '*/*',
];
