/** The part of s3rver 3's programmatic API the S3 stand-in uses (the package ships no types). */
declare module 's3rver' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  /** The tagging subresource of an object (s3rver's `TaggingConfiguration`). */
  export interface S3rverConfig {
    readonly type: string;
  }

  /** s3rver's store of buckets, objects and their subresources, on disk. */
  export interface S3rverStore {
    getSubresource(bucket: string, key: string, type: 'tagging'): Promise<S3rverConfig | null>;
    putSubresource(bucket: string, key: string, resource: S3rverConfig): Promise<void>;
    deleteSubresource(bucket: string, key: string, type: 'tagging'): Promise<void>;
  }

  /** The part of s3rver's Koa context a middleware of the stand-in reads. */
  export interface S3rverContext {
    readonly method: string;
    /** The request's path, as sent (still URL-encoded). */
    readonly path: string;
    readonly query: Record<string, unknown>;
    /** The router's parameters (decoded), once it has run. */
    readonly params?: { bucket?: string; key?: string };
    readonly status: number;
    readonly store: S3rverStore;
    /** A request header's value, '' when absent. */
    get(header: string): string;
  }

  export type S3rverMiddleware = (ctx: S3rverContext, next: () => Promise<void>) => Promise<void>;

  class S3rver {
    /** Koa's middleware, in order; s3rver's router is the last. */
    middleware: S3rverMiddleware[];
    constructor(options?: S3rverOptions);
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    /** Creates the `configureBuckets` buckets (what `run()` does before it listens). */
    configureBuckets(): Promise<void>;
    /** Koa's request listener: the S3 API, for a server of one's own. */
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }

  export default S3rver;
}

declare module 's3rver/lib/models/error.js' {
  /** An S3 error response; s3rver renders one thrown by a middleware as S3 does. */
  class S3Error extends Error {
    constructor(code: string, message?: string, detail?: Record<string, string>);
    code: string;
    status: number;
    expose: boolean;
  }
  export default S3Error;
}

declare module 's3rver/lib/models/config.js' {
  import type { S3rverConfig } from 's3rver';

  const config: {
    /** An object's tag set, from its XML (`<Tagging><TagSet><Tag>…`). */
    TaggingConfiguration: new (
      xml: string,
    ) => S3rverConfig;
  };
  export default config;
}
