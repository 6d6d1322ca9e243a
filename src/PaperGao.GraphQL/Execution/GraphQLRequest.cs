using System.Text.Json;

namespace PaperGao.GraphQL.Execution;

/// <summary>A GraphQL-over-HTTP request's parameters, already taken out of the body or query string.</summary>
public sealed record GraphQLRequest(string Query, string? OperationName, JsonElement? Variables, bool IsGet);

/// <summary>
/// The outcome of one request: the result to serialize and what kind of failure it is. A request error (no data:
/// syntax, validation, variables) is 400 with application/graphql-response+json; a GET mutation is 405.
/// </summary>
public sealed record GraphQLOutcome(global::GraphQL.ExecutionResult Result, bool IsRequestError, int? ForcedStatus = null);
