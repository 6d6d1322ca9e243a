using GraphQL;
using GraphQL.Execution;
using GraphQL.SystemTextJson;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using PaperGao.Core.Common;
using PaperGao.Core.Filter;
using PaperGao.Core.Records;
using PaperGao.GraphQL.Schema;

namespace PaperGao.GraphQL.Execution;

/// <summary>
/// Runs one GraphQL request: bounds (length, operations, aliases, depth, complexity), the cached schema of the caller,
/// queries on pooled read connections, and all mutations of the request in ONE write transaction (all or nothing, like
/// REST batch): when any mutation fails, nothing is written and data is null.
/// </summary>
public static class GraphQLExecutor
{
    /// <summary>
    /// Queries and mutations run with a serial strategy (RecordExecutionStrategy): the resolvers are synchronous except
    /// the root lists and the relation batches, and batches still load once per level (data loader nodes wait until the
    /// other nodes are done), so the parallel strategy's task per node only costs CPU.
    /// </summary>
    private static readonly DocumentExecuter Executer = new(new GraphQLDocumentBuilder(), new global::GraphQL.Validation.DocumentValidator(),
        new DefaultExecutionStrategySelector([
            new ExecutionStrategyRegistration(RecordExecutionStrategy.Instance, OperationType.Query),
            new ExecutionStrategyRegistration(RecordExecutionStrategy.Instance, OperationType.Mutation),
        ]), []);

    public static GraphQLSerializer Serializer { get; } = new(new PaperGaoErrorInfoProvider());

    /// <summary>
    /// Parses, validates and runs "{ __typename }" on a schema and serializes the answer, with the limits' validation
    /// rules (the start-up warm-up, <see cref="SchemaWarmup"/>: the executor's first-use cost, paid off the request path).
    /// </summary>
    internal static async Task WarmUpAsync(global::GraphQL.Types.ISchema schema)
    {
        var result = await Executer.ExecuteAsync(new ExecutionOptions
        {
            Schema = schema,
            Query = "{ __typename }",
            ThrowOnUnhandledException = false,
            ValidationRules = ValidatedDocuments.Full(GraphQLLimits.Default, introspection: false),
        });
        if (result.Errors is { Count: > 0 } errors) throw new InvalidOperationException("The GraphQL warm-up query failed: " + errors[0].Message);
        await Serializer.WriteAsync(Stream.Null, result);
    }

    public static async Task<GraphQLOutcome> ExecuteAsync(GraphQLRequest request, GraphQLRequestContext rc, GraphQLAccess access, bool introspection,
        GraphQLLimits limits, Action<Exception>? onUnexpected, CancellationToken ct)
    {
        if (request.Query.Length > limits.MaxQueryLength)
            return RequestError($"The query is too long: at most {limits.MaxQueryLength} characters.", "QUERY_TOO_LONG");
        var schema = SchemaCache.Get(rc.Project.Collections, access);
        var doc = ValidatedDocuments.Find(schema, request.Query, introspection, limits);
        var cached = doc is not null;
        if (doc is null)
        {
            try
            {
                doc = GraphQLParser.Parser.Parse(request.Query, new GraphQLParser.ParserOptions { MaxDepth = 64 });
            }
            catch (GraphQLParserException e)
            {
                return RequestError("Syntax error: " + e.Description, "SYNTAX_ERROR");
            }
            if (doc.Definitions.Count(d => d is GraphQLOperationDefinition) > limits.MaxOperations)
                return RequestError($"Too many operations in the document: at most {limits.MaxOperations}.", "TOO_MANY_OPERATIONS");
            if (DocumentLimits.CountAliases(doc) > limits.MaxAliases)
                return RequestError($"Too many aliases in the document: at most {limits.MaxAliases}.", "TOO_MANY_ALIASES");
        }
        var operations = doc.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        var operation = request.OperationName is { Length: > 0 } name
            ? operations.FirstOrDefault(o => o.Name?.StringValue == name)
            : operations.Count == 1 ? operations[0] : null;
        if (operation is null)
        {
            return RequestError(request.OperationName is { Length: > 0 } ? "Unknown operation name." :
                operations.Count == 0 ? "The document has no operation." : "The document has several operations: give operationName.", "OPERATION_NOT_FOUND");
        }
        if (operation.Operation == OperationType.Subscription && rc.Subscriptions is null)
            return RequestError("Subscriptions use the WebSocket transport (graphql-transport-ws) at the same path.", "SUBSCRIPTION_OVER_HTTP");
        if (operation.Operation == OperationType.Mutation && request.IsGet)
            return RequestError("Mutations are not allowed in GET requests: use POST.", "METHOD_NOT_ALLOWED") with { ForcedStatus = 405 };
        // A caller whose schema has no such root type (nothing it may write, or subscribe to) made a client mistake:
        // a validation error, not an exception inside the executor.
        if (RootMissing(schema, operation.Operation) is { } missing)
            return RequestError($"There is no {missing} type for this caller: it may not {(operation.Operation == OperationType.Mutation ? "write to" : "subscribe to")} any collection.", "GRAPHQL_VALIDATION_FAILED");

        Inputs variables;
        try
        {
            variables = request.Variables is { ValueKind: System.Text.Json.JsonValueKind.Object } v ? Serializer.ReadNode<Inputs>(v) ?? Inputs.Empty : Inputs.Empty;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return RequestError("Invalid variables.", "INVALID_VARIABLES");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limits.Timeout);
        var options = new ExecutionOptions
        {
            Schema = schema,
            Query = request.Query,
            Document = doc,
            OperationName = request.OperationName is { Length: > 0 } ? request.OperationName : null,
            Variables = variables,
            UserContext = rc,
            CancellationToken = timeout.Token,
            ThrowOnUnhandledException = false,
            ValidationRules = cached ? ValidatedDocuments.Cached(limits, operations.Count, operation) : ValidatedDocuments.Full(limits, introspection),
            UnhandledExceptionDelegate = ctx =>
            {
                ctx.Exception = Map(rc, ctx.OriginalException, timeout.IsCancellationRequested && !ct.IsCancellationRequested, onUnexpected);
                return Task.CompletedTask;
            },
        };
        if (operation.Operation != OperationType.Mutation)
        {
            var result = await Executer.ExecuteAsync(options);
            if (result.Executed && !cached) ValidatedDocuments.Keep(schema, request.Query, introspection, limits, doc);
            return new GraphQLOutcome(result, !result.Executed);
        }
        var outcome = await MutateAsync(rc, options, timeout.Token);
        if (!outcome.IsRequestError && !cached) ValidatedDocuments.Keep(schema, request.Query, introspection, limits, doc);
        return outcome;
    }

    private static async Task<GraphQLOutcome> MutateAsync(GraphQLRequestContext rc, ExecutionOptions options, CancellationToken ct)
    {
        ExecutionResult? result = null;
        WriteScope? scope = null;
        try
        {
            await rc.Project.Database.WriteAsync(async tx =>
            {
                scope = new WriteScope(tx);
                rc.Scope = scope;
                result = await Executer.ExecuteAsync(options);
                if (!result.Executed || result.Errors is { Count: > 0 } || rc.MutationFailed) throw new RollbackException();
            }, ct);
        }
        catch (RollbackException)
        {
            await scope!.RunRollbackAsync();
            result!.Data = null;
            return new GraphQLOutcome(result, !result.Executed);
        }
        catch
        {
            if (scope is not null) await scope.RunRollbackAsync();
            throw;
        }
        finally
        {
            rc.Scope = null;
        }
        await scope!.RunAfterCommitAsync();
        return new GraphQLOutcome(result!, false);
    }

    private sealed class RollbackException : Exception;

    private static string? RootMissing(global::GraphQL.Types.ISchema schema, OperationType type) => type switch
    {
        OperationType.Mutation when schema.Mutation is null => "Mutation",
        OperationType.Subscription when schema.Subscription is null => "Subscription",
        _ => null,
    };

    /// <summary>
    /// Client mistakes become GraphQL errors like REST's 4xx (never logged at error level): API errors, filter errors, a
    /// statement over its time limit, a write PostgreSQL rolled back after an error caught inside it, a statement the
    /// database refused because of the request (a bad cast, a value too big). Only what is left is unexpected: logged by
    /// the caller, answered without details.
    /// </summary>
    private static ExecutionError Map(GraphQLRequestContext rc, Exception e, bool timedOut, Action<Exception>? onUnexpected) => e switch
    {
        ApiError a => new ApiExecutionError(a),
        FilterException f => new ApiExecutionError(f.Forbidden ? ApiError.Forbidden(f.Message) : ApiError.BadRequest(f.Message)),
        Core.Data.StatementTimeoutException or Core.Data.WriteRolledBackException => new ApiExecutionError(ApiError.BadRequest(e.Message)),
        System.Data.Common.DbException d when rc.Project.Dialect.IsQueryError(d) =>
            new ApiExecutionError(ApiError.BadRequest("Something went wrong while processing your request.")),
        OperationCanceledException when timedOut => new ExecutionError("The request took too long and was stopped.") { Code = "TIMEOUT" },
        OperationCanceledException => new ExecutionError("The request was cancelled.") { Code = "CANCELLED" },
        ExecutionError x => x,
        _ => Unexpected(e, onUnexpected),
    };

    private static ExecutionError Unexpected(Exception e, Action<Exception>? onUnexpected)
    {
        onUnexpected?.Invoke(e);
        return new ExecutionError("Something went wrong while processing your request.") { Code = "INTERNAL_ERROR" };
    }

    public static GraphQLOutcome RequestError(string message, string code) =>
        new(new ExecutionResult { Errors = [new ExecutionError(message) { Code = code }], Executed = false }, true);
}
