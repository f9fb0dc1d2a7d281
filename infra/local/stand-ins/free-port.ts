import { createServer } from 'node:net';

/**
 * A TCP port that is free on 127.0.0.1 right now. Only for servers that must be told a port
 * up front (the DynamoDB Local JVM); Node servers should listen on port 0 and read the port back,
 * which has no window in which another process can take it.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the port of a listening socket'));
        return;
      }
      const { port } = address;
      server.close(() => resolve(port));
    });
  });
}
