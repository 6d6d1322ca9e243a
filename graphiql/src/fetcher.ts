// GraphiQL's fetcher: queries and mutations POST to the project's endpoint with the session's token (GraphQL-over-HTTP);
// subscriptions open a WebSocket to the same path speaking graphql-transport-ws, the token in connection_init's payload
// (browsers cannot set headers on a WebSocket). docs/graphql.md.
import type { GraphiQLProps } from 'graphiql';
import { parse } from 'graphql';
import { subscribe } from './subscribe';

type Fetcher = GraphiQLProps['fetcher'];
type DocumentNode = { definitions: readonly { kind: string; operation?: string; name?: { value: string } }[] };

export function createFetcher(url: string, token: string): Fetcher {
  return async (params, opts) => {
    // The query text is what runs: GraphiQL's documentAST can still be the editor's previous text right after a change.
    if (isSubscription(documentOf(params.query) ?? (opts?.documentAST as DocumentNode | undefined), params.operationName)) {
      return subscribe(webSocketUrl(url), token, params);
    }
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

function documentOf(query: string): DocumentNode | undefined {
  try {
    return parse(query) as unknown as DocumentNode;
  } catch {
    return undefined; // a syntax error: the server answers it
  }
}

/** The operation GraphiQL runs (the named one, else the only one) is a subscription. */
function isSubscription(doc: DocumentNode | undefined, operationName: string | null | undefined): boolean {
  const operations = doc?.definitions.filter((d) => d.kind === 'OperationDefinition') ?? [];
  const op = operationName ? operations.find((d) => d.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  return op?.operation === 'subscription';
}

function webSocketUrl(path: string): string {
  const u = new URL(path, window.location.href);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.toString();
}
