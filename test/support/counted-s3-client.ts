import { S3Client } from '@aws-sdk/client-s3';

/**
 * An S3 client (path-style, for the stand-in) that notes the name of every command it sends, in
 * order (`PutObjectCommand`, …): what a test counts to see that an adapter sends one request, not
 * two. `sent` is the list it fills; empty it between tests.
 */
export function countedS3Client(): { client: S3Client; sent: string[] } {
  const sent: string[] = [];
  const client = new S3Client({ forcePathStyle: true });
  client.middlewareStack.add(
    (next, context) => (args) => {
      sent.push(context.commandName ?? '?');
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  return { client, sent };
}
