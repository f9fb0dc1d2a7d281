/**
 * What each text field is called at the start of its messages ("Your feedback must be 5000
 * characters or fewer"), as the resident reads them: a page that words them for someone else
 * (the workspace's record form) finds the name here, without loading the schema.
 */
export const FIELD_NAMES = {
  service: 'Service',
  summary: 'Your feedback',
  desiredOutcome: 'What you would like us to do',
  'complainant.name': 'Your name',
  'complainant.address': 'Address',
  'onBehalfOf.name': 'Their name',
  'onBehalfOf.relationship': 'Your relationship to them',
  'onBehalfOf.consentNote': 'Why they cannot agree',
  accessibilityNeeds: 'Accessibility needs',
} as const;
