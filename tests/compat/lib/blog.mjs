// A small schema used by several test files: authors <- posts <- comments.
export const TAGS = ['a', 'b', 'c', 'd'];

const autodates = [
  { name: 'created', type: 'autodate', onCreate: true, onUpdate: false },
  { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
];

/** Creates the collections with the superuser client and returns them. All rules public (""). */
export async function createBlog(pb, { rules = '' } = {}) {
  const open = { listRule: rules, viewRule: rules, createRule: rules, updateRule: rules, deleteRule: rules };
  const authors = await pb.collections.create({
    name: 'authors',
    type: 'base',
    ...open,
    fields: [{ name: 'name', type: 'text', required: true, max: 100 }, ...autodates],
  });
  const posts = await pb.collections.create({
    name: 'posts',
    type: 'base',
    ...open,
    fields: [
      { name: 'title', type: 'text', required: true, max: 200 },
      { name: 'views', type: 'number', onlyInt: true },
      { name: 'published', type: 'bool' },
      { name: 'tags', type: 'select', maxSelect: 4, values: TAGS },
      { name: 'author', type: 'relation', collectionId: authors.id, maxSelect: 1, cascadeDelete: false },
      { name: 'editors', type: 'relation', collectionId: authors.id, maxSelect: 10, cascadeDelete: false },
      { name: 'meta', type: 'json' },
      { name: 'publishedAt', type: 'date' },
      ...autodates,
    ],
  });
  const comments = await pb.collections.create({
    name: 'comments',
    type: 'base',
    ...open,
    fields: [
      { name: 'message', type: 'text', required: true },
      { name: 'post', type: 'relation', collectionId: posts.id, maxSelect: 1, cascadeDelete: true },
      { name: 'author', type: 'relation', collectionId: authors.id, maxSelect: 1 },
      ...autodates,
    ],
  });
  return { authors, posts, comments };
}

/**
 * Seeds: authors jane, john, ann; posts p1..p4; comments on p1 and p2. Returns the records by key.
 */
export async function seedBlog(pb) {
  const a = async (name) => pb.collection('authors').create({ name });
  const jane = await a('Jane');
  const john = await a('John');
  const ann = await a('Ann');
  const p = async (data) => pb.collection('posts').create(data);
  const p1 = await p({ title: 'Hello world', views: 10, published: true, tags: ['a', 'b'], author: jane.id, editors: [john.id, ann.id], meta: { lang: 'en' } });
  const p2 = await p({ title: 'Second post', views: 5, published: false, tags: ['b'], author: john.id, editors: [jane.id] });
  const p3 = await p({ title: 'Another hello', views: 20, published: true, tags: ['c'], author: jane.id });
  const p4 = await p({ title: 'Untagged', views: 5, published: true, tags: [] });
  const c = async (data) => pb.collection('comments').create(data);
  const c1 = await c({ message: 'first!', post: p1.id, author: john.id });
  const c2 = await c({ message: 'nice post', post: p1.id, author: ann.id });
  const c3 = await c({ message: 'hmm', post: p2.id, author: jane.id });
  return { jane, john, ann, p1, p2, p3, p4, c1, c2, c3 };
}
