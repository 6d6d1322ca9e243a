// Test S3 server: `node server.mjs <folder> <bucket>` runs s3rver (an S3-compatible server) on a free 127.0.0.1 port
// with the bucket created, stores objects under <folder>, and prints {"port":N} on stdout.
// Access key "S3RVER", secret "S3RVER" (s3rver's fixed credentials). Exits when stdin closes.
import S3rver from 's3rver';
import fs from 'node:fs';

const [folder, bucket] = process.argv.slice(2);
if (!folder || !bucket) {
  console.error('usage: node server.mjs <folder> <bucket>');
  process.exit(2);
}
fs.mkdirSync(folder, { recursive: true });

const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory: folder,
  configureBuckets: [{ name: bucket }],
});
const { port } = await server.run();
process.stdout.write(JSON.stringify({ port }) + '\n');

const stop = () => server.close().then(() => process.exit(0), () => process.exit(1));
process.stdin.resume();
process.stdin.on('end', stop);
process.on('SIGTERM', stop);
