import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { useServer, rejects } from './lib/harness.mjs';

// A real W×H RGB PNG (so the server can make thumbnails of it).
function png(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = [];
  for (let y = 0; y < height; y++) {
    rows.push(Buffer.from([0]));
    rows.push(Buffer.alloc(width * 3, y % 2 ? 0x40 : 0xc0));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const pngSize = (buf) => [buf.readUInt32BE(16), buf.readUInt32BE(20)];

const ctx = useServer(async (c) => {
  await c.pb.collections.create({
    name: 'albums',
    type: 'base',
    listRule: '',
    viewRule: '',
    createRule: '',
    updateRule: '',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'photos', type: 'file', maxSelect: 5, maxSize: 1048576, mimeTypes: ['image/png', 'text/plain'], thumbs: ['40x0'] },
    ],
  });
  // viewRule null: only superusers may view, so protected files need a superuser's file token
  await c.pb.collections.create({
    name: 'vault',
    type: 'base',
    fields: [{ name: 'secret', type: 'file', maxSelect: 1, protected: true }],
  });
});

test('create with File and Blob values, then download through getURL', async () => {
  const image = png(60, 30);
  const rec = await ctx.guest().collection('albums').create({
    title: 'Holiday',
    photos: [new File([image], 'Beach Day.png', { type: 'image/png' }), new Blob(['plain notes'], { type: 'text/plain' })],
  });
  assert.equal(rec.photos.length, 2);
  assert.match(rec.photos[0], /^beach_day_[a-z0-9]{10}\.png$/);
  assert.match(rec.photos[1], /^[a-z0-9_]+_[a-z0-9]{10}\.txt$/);

  const url = ctx.pb.files.getURL(rec, rec.photos[0]);
  assert.ok(url.includes(`/api/files/${rec.collectionId}/${rec.id}/${rec.photos[0]}`), url);
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), image);

  const text = await fetch(ctx.pb.files.getURL(rec, rec.photos[1], { download: true }));
  assert.equal(await text.text(), 'plain notes');
  assert.match(text.headers.get('content-disposition'), /^attachment/);
});

test('getURL with a thumb: 100x100 and the field sizes are made, others serve the original', async () => {
  const rec = await ctx.guest().collection('albums').create({ photos: [new File([png(60, 30)], 'p.png')] });
  for (const [thumb, size] of [['100x100', [100, 100]], ['40x0', [40, 20]], ['10x10', [60, 30]]]) {
    const res = await fetch(ctx.pb.files.getURL(rec, rec.photos[0], { thumb }));
    assert.equal(res.status, 200, thumb);
    assert.deepEqual(pngSize(Buffer.from(await res.arrayBuffer())), size, thumb);
  }
});

test('protected files: 404 without a token, served with pb.files.getToken()', async () => {
  const rec = await ctx.pb.collection('vault').create({ secret: new File(['top secret'], 'secret.txt') });
  const plain = await fetch(ctx.pb.files.getURL(rec, rec.secret));
  assert.equal(plain.status, 404);
  const token = await ctx.pb.files.getToken();
  assert.ok(token.length > 20);
  const res = await fetch(ctx.pb.files.getURL(rec, rec.secret, { token }));
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'top secret');

  const err = await rejects(ctx.guest().files.getToken());
  assert.equal(err.status, 401);
});

test('append with photos+ and remove with the photos- modifier', async () => {
  const albums = ctx.guest().collection('albums');
  const rec = await albums.create({ photos: [new File(['one'], 'one.txt'), new File(['two'], 'two.txt')] });
  const added = await albums.update(rec.id, { 'photos+': new File(['three'], 'three.txt') });
  assert.equal(added.photos.length, 3);
  const removed = await albums.update(rec.id, { 'photos-': [rec.photos[0]] });
  assert.deepEqual(removed.photos, [rec.photos[1], added.photos[2]]);
  const gone = await fetch(ctx.pb.files.getURL(rec, rec.photos[0]));
  assert.equal(gone.status, 404);

  const bad = await rejects(albums.update(rec.id, { photos: new File([Buffer.from('MZ\x90\x00\x03\x00\x00\x00')], 'evil.png') }));
  assert.equal(bad.status, 400);
  assert.equal(bad.response.data.photos.code, 'validation_invalid_mime_type');
});
