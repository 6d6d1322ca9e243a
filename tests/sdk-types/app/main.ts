// A small app on the official SDK with the generated types: it must compile with --strict, and it runs against the server.
import PocketBase from "pocketbase";
import {
  Collections,
  PostsStatusOptions,
  type PostTitlesResponse,
  type PostsCreate,
  type PostsResponse,
  type PostsUpdate,
  type TagsCreate,
  type TagsResponse,
  type TypedPocketBase,
} from "./pb-types.js";

export async function run(url: string, email: string, password: string) {
  const pb = new PocketBase(url) as TypedPocketBase;
  pb.autoCancellation(false);
  await pb.collection(Collections.Superusers).authWithPassword(email, password);

  const tagInput: TagsCreate = { name: "news", color: "green" };
  const tag: TagsResponse = await pb.collection("tags").create(tagInput);

  const input: PostsCreate = { title: "Hello", status: "in-progress", labels: ["a", "c"], tags: [tag.id], views: 3, meta: { any: 1 } };
  const created = await pb.collection("posts").create(input);
  const statusOfCreated: PostsStatusOptions | "" = created.status;

  const update: PostsUpdate = { "views+": 2, "labels-": "a", "+tags": [tag.id] };
  await pb.collection("posts").update(created.id, update);

  const page = await pb.collection("posts").getList(1, 10, { expand: "tags", filter: pb.filter("title = {:t}", { t: "Hello" }) });
  const first: PostsResponse = page.items[0]!;
  const tagColors: Array<"red" | "green" | "blue"> = (first.expand?.tags ?? []).map((t) => t.color);
  const views: number = first.views;
  const collectionName: "posts" = first.collectionName;

  const titles: PostTitlesResponse[] = await pb.collection("post_titles").getFullList();
  return { statusOfCreated, tagColors, views, labels: first.labels, collectionName, titles: titles.map((t) => t.title), allStatuses: [...PostsStatusOptions] };
}
