using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Common;
using PaperGao.Core.Data;
using PaperGao.Core.Projects;

namespace PaperGao.Api.Sql;

/// <summary>
/// POST /api/sql {query} (superusers; PocketBase 0.39's SQL console): runs one or more statements and answers
/// {execTime, affectedRows, columns:[{name,type,nullable}], rows:[[string|null...]]} for the last result set, at most
/// 1000 rows. A query starting with a write keyword (INSERT, CREATE, UPDATE, DELETE, DROP, DETACH, ALTER, REPLACE)
/// runs in one write transaction; anything else runs read-only. Every statement is under the statement time limit.
/// Confined to the project: on SQLite ATTACH, load_extension and writing PRAGMAs are refused; on PostgreSQL (projects
/// share one database) only the main project's superusers, who administer the server, may use it.
/// </summary>
public static class SqlApi
{
    private const int MaxRows = 1000;
    private const int MaxQueryLength = 5000;
    private static readonly string[] WritePrefixes = ["INSERT", "CREATE", "UPDATE", "DELETE", "DROP", "DETACH", "ALTER", "REPLACE"];

    public static IEndpointRouteBuilder MapSqlApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/sql", (Func<HttpContext, Task>)HandleAsync)
            .WithTags("SQL").WithName("RunSql").WithSummary("Runs SQL in the project's database (superusers).");
        return app;
    }

    private sealed record Column(string Name, string Type, bool Nullable);

    private sealed class Result
    {
        public long AffectedRows;
        public List<Column> Columns = [];
        public List<string?[]> Rows = [];
    }

    private static async Task HandleAsync(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        var project = ctx.Project();
        if (!project.Database.ConsoleConfined && project.Name != ProjectNames.Default)
            throw ApiError.Forbidden("On PostgreSQL the SQL console is available to the main project's superusers only.");
        var body = await RequestBody.ReadObjectAsync(ctx);
        var errors = new ErrorData();
        var query = BodyFields.Str(body, "query", errors, required: true, max: int.MaxValue).Trim();
        if (!errors.Contains("query") && query.Length == 0) errors.Add("query", FieldError.Required());
        if (!errors.Contains("query") && query.Length > MaxQueryLength)
            errors.Add("query", new FieldError("validation_length_too_long", $"The length must be no more than {MaxQueryLength}."));
        if (!errors.IsEmpty) throw ApiError.BadRequest("An error occurred while validating the submitted data.", errors);

        var upper = query.ToUpperInvariant();
        var write = !upper.StartsWith("SELECT", StringComparison.Ordinal) && WritePrefixes.Any(p => upper.StartsWith(p, StringComparison.Ordinal));
        var watch = Stopwatch.StartNew();
        Result result;
        try
        {
            var declaredOnly = project.Dialect.Name == "sqlite";
            result = write
                ? new Result { AffectedRows = await project.Database.ConsoleExecuteAsync(query, ctx.RequestAborted) }
                : await project.Database.ConsoleReadAsync(query, cmd => ReadAsync(cmd, declaredOnly, ctx.RequestAborted), ctx.RequestAborted);
        }
        catch (DbException ex)
        {
            throw ApiError.BadRequest("Failed to execute query. Raw error:\n" + project.Dialect.DescribeError(ex));
        }
        catch (StatementTimeoutException ex)
        {
            throw ApiError.BadRequest("Failed to execute query. Raw error:\n" + ex.Message);
        }
        var execTime = watch.ElapsedMilliseconds;
        await JsonResponse.WriteAsync(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("execTime", execTime);
            w.WriteNumber("affectedRows", result.AffectedRows);
            w.WriteStartArray("columns");
            foreach (var c in result.Columns)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("type", c.Type);
                w.WriteBoolean("nullable", c.Nullable);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("rows");
            foreach (var row in result.Rows)
            {
                w.WriteStartArray();
                foreach (var v in row)
                {
                    if (v is null) w.WriteNullValue(); else w.WriteStringValue(v);
                }
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>Every result set is read through; the last one with columns is answered (as PocketBase's driver does).</summary>
    /// <remarks>
    /// <paramref name="declaredOnly"/>: SQLite reports a column's declared type, and an expression has none ("" as in
    /// PocketBase), rather than the storage class of its first value.
    /// </remarks>
    private static async Task<Result> ReadAsync(DbCommand cmd, bool declaredOnly, CancellationToken ct)
    {
        var result = new Result();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        do
        {
            if (reader.FieldCount == 0) continue;
            var columns = new List<Column>(reader.FieldCount);
            var schema = await reader.GetColumnSchemaAsync(ct);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var declared = i < schema.Count ? schema[i].DataTypeName ?? "" : "";
                if (declaredOnly && (i >= schema.Count || string.IsNullOrEmpty(schema[i].BaseColumnName))) declared = "";
                columns.Add(new Column(reader.GetName(i), declared, i >= schema.Count || schema[i].AllowDBNull != false));
            }
            var rows = new List<string?[]>();
            while (await reader.ReadAsync(ct))
            {
                if (rows.Count >= MaxRows) continue; // drain, so every statement of the batch runs
                var row = new string?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++) row[i] = Text(reader.IsDBNull(i) ? null : reader.GetValue(i));
                rows.Add(row);
            }
            result.Columns = columns;
            result.Rows = rows;
        }
        while (await reader.NextResultAsync(ct));
        return result;
    }

    private static string? Text(object? v) => v switch
    {
        null => null,
        string s => s,
        byte[] b => System.Text.Encoding.UTF8.GetString(b),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString(),
    };
}
