// GraphiQL's fetcher: POST to the project's endpoint with the session's token (GraphQL-over-HTTP, docs/graphql.md).
import type { GraphiQLProps } from 'graphiql';

type Fetcher = GraphiQLProps['fetcher'];

export function createFetcher(url: string, token: string): Fetcher {
  return async (params, opts) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(opts?.headers as Record<string, string> | undefined),
        Authorization: token,
      },
      body: JSON.stringify(params),
    });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      return { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 200)}` }] };
    }
  };
}
