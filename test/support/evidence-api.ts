import type { S3Client } from '@aws-sdk/client-s3';
import { S3Archive } from '../../functions/adapters/s3-archive.js';
import { S3EvidenceStore } from '../../functions/adapters/s3-evidence.js';
import { evidenceRoutes } from '../../functions/app/evidence-routes.js';
import type { Policy } from '../../functions/domain/policy-schema.js';
import type { CaseStore } from '../../functions/domain/ports.js';
import { apiAt } from './api-handler.js';

/**
 * The API with the evidence routes on the S3 stand-in's bucket, as the deployed function has them:
 * uploads and their checks through the evidence store, and the archive's ping as S3's answer (the
 * page and the JSON API offer no upload while it fails). For tests that take S3 away.
 */
export function evidenceApiOnS3(options: {
  store: CaseStore;
  policy: Policy;
  bucket: string;
  client: S3Client;
  now: Date;
  secret: string;
  fileId: string;
}) {
  const { store, policy, bucket, client, now, secret, fileId } = options;
  return apiAt({ store, policy }, now, (r) => {
    const archive = new S3Archive({ bucket, client });
    evidenceRoutes(r, {
      store,
      evidence: new S3EvidenceStore({ bucket, client }),
      now: () => now,
      newId: () => fileId,
      linkSecrets: async () => [secret],
      baseUrl: 'https://complaints.example.gov.uk',
      councilName: policy.council,
      uploadsAnswer: (signal) => archive.ping(signal),
    });
  });
}
