/**
 * Local stand-ins for the AWS services Redress uses, each on 127.0.0.1: DynamoDB Local, s3rver
 * and aws-ses-v2-local. Used by the integration tests and by `npm start`; point the AWS SDK at
 * them with `AWS_ENDPOINT_URL_<SERVICE>` and the credentials in `LOCAL_AWS_ENV`.
 */
export * from './dynamodb-local.js';
export * from './free-port.js';
export * from './s3.js';
export * from './ses.js';
export * from './types.js';
