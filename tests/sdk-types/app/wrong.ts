// Must NOT compile: each line misuses a generated type (the test counts the errors).
import type { PostsCreate, PostsResponse, TagsCreate } from "./pb-types.js";

export const badStatus: PostsCreate = { title: "x", status: "archived" };
export const missingTitle: PostsCreate = { status: "draft" };
export const badColor: TagsCreate = { name: "x", color: "purple" };
export function views(p: PostsResponse): string { return p.views; }
