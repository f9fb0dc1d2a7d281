import { requireEnv } from '../adapters/config.js';
import type { Archive, ArchiveControl, Downloads, EvidenceStore } from '../domain/ports.js';
import type { AdapterBuilders } from './container.js';
import { loadedOnFirstCall } from './lazy-adapter.js';

/*
 * S3's adapters, each loaded on its first call, in a module apart from `wiring.ts` (which says
 * why): only the functions that wire S3 import it.
 */

/** The records archive, residents' evidence, legal holds and downloads: S3 (`ARCHIVE_BUCKET`). */
export const S3_ADAPTERS = {
  archive: () => {
    const bucket = requireEnv('ARCHIVE_BUCKET');
    return loadedOnFirstCall<Archive>(
      {
        ping: true,
        putCaseFile: true,
        setRetention: true,
        getRetention: true,
        getCaseFile: true,
        replaceCaseFile: true,
        putLetter: true,
        getLetter: true,
        retainLetters: true,
      },
      async () => new (await import('../adapters/s3-archive.js')).S3Archive({ bucket }),
    );
  },
  evidence: () => {
    const bucket = requireEnv('ARCHIVE_BUCKET');
    return loadedOnFirstCall<EvidenceStore>(
      {
        presignUpload: true,
        head: true,
        read: true,
        scanStatus: true,
        remove: true,
        downloadUrl: true,
        retain: true,
      },
      async () => new (await import('../adapters/s3-evidence.js')).S3EvidenceStore({ bucket }),
    );
  },
  control: () => {
    const bucket = requireEnv('ARCHIVE_BUCKET');
    return loadedOnFirstCall<ArchiveControl>(
      { hold: true, release: true, tags: true, erase: true },
      async () => new (await import('../adapters/s3-records-control.js')).S3RecordsControl({ bucket }),
    );
  },
  downloads: () => {
    const bucket = requireEnv('ARCHIVE_BUCKET');
    return loadedOnFirstCall<Downloads>(
      { put: true, remove: true, eraseFor: true },
      async () => new (await import('../adapters/s3-downloads.js')).S3Downloads({ bucket }),
    );
  },
} satisfies Partial<AdapterBuilders>;
