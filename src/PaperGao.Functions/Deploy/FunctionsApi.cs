using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;
using PaperGao.Functions.Engine;

namespace PaperGao.Functions.Deploy;

/// <summary>
/// The functions of a project for superusers (docs/functions.md, "Deploy"): see what runs, deploy a new version
/// (checked first: code that does not load is refused with file, line and column and the running version stays),
/// list versions, roll back, and manage the write-only secrets and the outbound allow-list.
/// </summary>
public static partial class FunctionsApi
{
    public const int MaxFiles = 200;

    public static void Map(IEndpointRouteBuilder app, FunctionsRuntime runtime)
    {
        var g = app.MapGroup("/api/functions").WithTags("Functions");
        g.MapGet("", (HttpContext ctx) => GetAsync(ctx, runtime)).WithName("GetFunctions").WithSummary("The running functions: version, files, registrations and the last load error.");
        g.MapPut("", (HttpContext ctx) => DeployAsync(ctx, runtime)).WithName("DeployFunctions").WithSummary("Deploy a new version: {files: {name: code}, note}. 400 with file/line/column when it does not load.");
        g.MapGet("/versions", (HttpContext ctx) => VersionsAsync(ctx)).WithName("ListFunctionVersions").WithSummary("The deployed versions, newest first.");
        g.MapPost("/rollback", (HttpContext ctx) => RollbackAsync(ctx, runtime)).WithName("RollbackFunctions").WithSummary("Deploy the files of an earlier version again: {version}.");
        g.MapGet("/settings", (HttpContext ctx) => SettingsAsync(ctx, runtime)).WithName("GetFunctionSettings").WithSummary("Secret names (never values) and the outbound allow-list.");
        g.MapPatch("/settings", (HttpContext ctx) => UpdateSettingsAsync(ctx, runtime)).WithName("UpdateFunctionSettings").WithSummary("Set or remove secrets ({secrets: {NAME: value|null}}), the allow-list ({allowHosts: [...]}) and the project's limits ({limits: {timeoutSeconds: 2, poolSize: null, ...}}).");
        g.MapGet("/types.d.ts", (HttpContext ctx) => TypesAsync(ctx)).WithName("FunctionTypes").WithSummary("TypeScript declarations of the functions API, for editors.");
    }

    private static Task GetAsync(HttpContext ctx, FunctionsRuntime runtime)
    {
        ctx.RequireSuperuser();
        var functions = runtime.For(ctx.Project());
        var set = functions?.Current;
        var manifest = set?.Manifest ?? [];
        var error = functions?.LastError;
        var json = new JsonObject
        {
            ["version"] = set?.Version ?? "",
            ["files"] = new JsonArray([.. (set?.Files ?? []).OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => (JsonNode?)new JsonObject { ["name"] = f.Name, ["code"] = f.Code })]),
            ["routes"] = new JsonArray([.. manifest.Where(r => r.Kind == RegistrationKind.Route).Select(r => (JsonNode?)new JsonObject { ["method"] = r.Key, ["path"] = r.Path, ["file"] = r.File })]),
            ["hooks"] = new JsonArray([.. manifest.Where(r => r.Kind == RegistrationKind.Hook).Select(r => (JsonNode?)new JsonObject { ["name"] = r.Key, ["tags"] = new JsonArray([.. r.Tags.Select(t => (JsonNode?)t)]), ["file"] = r.File })]),
            ["crons"] = new JsonArray([.. manifest.Where(r => r.Kind == RegistrationKind.Cron).Select(r => (JsonNode?)new JsonObject { ["id"] = r.Key, ["expression"] = r.Path, ["file"] = r.File })]),
            ["error"] = error is null ? null : ErrorJson(error),
        };
        return JsonResponse.WriteNodeAsync(ctx, json);
    }

    private static async Task DeployAsync(HttpContext ctx, FunctionsRuntime runtime)
    {
        ctx.RequireSuperuser();
        var project = ctx.Project();
        var body = await RequestBody.ReadObjectAsync(ctx);
        var files = ParseFiles(body, runtime.Limits);
        var note = body["note"] is JsonValue n && n.TryGetValue<string>(out var s) ? s : "";
        var version = await DeployAsync(runtime, project, files, ctx.Auth()?.GetString("email") ?? "api key", note, ctx.RequestAborted);
        await JsonResponse.WriteNodeAsync(ctx, new JsonObject { ["version"] = version });
    }

    /// <summary>Checks that the files load, stores them as the next version and runs them on this node at once.</summary>
    public static async Task<long> DeployAsync(FunctionsRuntime runtime, Project project, IReadOnlyCollection<FunctionFile> files, string author, string note, CancellationToken ct)
    {
        var state = runtime.StateOf(project) ?? throw ApiError.NotFound("Missing project context.");
        Check(state.Functions.Context, files);
        var version = await FunctionStore.SaveVersionAsync(project, files, author, note, ct);
        await runtime.RefreshAsync(state, ct);
        return version;
    }

    /// <summary>Loads the files in a throwaway engine: 400 with file, line and column when they do not load.</summary>
    public static void Check(FunctionRuntimeContext context, IReadOnlyCollection<FunctionFile> files)
    {
        if (files.Count == 0) return;
        try
        {
            using var set = FunctionSet.Load(context, files, "check");
        }
        catch (FunctionLoadException e)
        {
            var data = new ErrorData().Add("files", new FieldError("validation_function_load", e.Message,
                new Dictionary<string, object?> { ["file"] = e.File, ["line"] = e.Line, ["column"] = e.Column, ["reason"] = e.Reason }));
            throw ApiError.BadRequest($"The functions do not load: {e.Message}", data);
        }
    }

    private static async Task VersionsAsync(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        var list = await FunctionStore.ListVersionsAsync(ctx.Project(), ctx.RequestAborted);
        await JsonResponse.WriteNodeAsync(ctx, new JsonArray([.. list]));
    }

    private static async Task RollbackAsync(HttpContext ctx, FunctionsRuntime runtime)
    {
        ctx.RequireSuperuser();
        var project = ctx.Project();
        var body = await RequestBody.ReadObjectAsync(ctx);
        if (body["version"] is not JsonValue v || !v.TryGetValue<double>(out var d) || d < 1 || d != Math.Floor(d))
            throw ApiError.BadRequest("Failed to roll back.", new ErrorData().Add("version", new FieldError("validation_required", "A deployed version number is required.")));
        var files = await FunctionStore.LoadVersionAsync(project, (long)d, ctx.RequestAborted);
        var version = await DeployAsync(runtime, project, files, ctx.Auth()?.GetString("email") ?? "api key", "rollback to v" + (long)d, ctx.RequestAborted);
        await JsonResponse.WriteNodeAsync(ctx, new JsonObject { ["version"] = version });
    }

    private static async Task SettingsAsync(HttpContext ctx, FunctionsRuntime runtime)
    {
        ctx.RequireSuperuser();
        var settings = await FunctionStore.LoadSettingsAsync(ctx.Project(), ctx.RequestAborted);
        await JsonResponse.WriteNodeAsync(ctx, SettingsJson(settings, runtime));
    }

    private static async Task UpdateSettingsAsync(HttpContext ctx, FunctionsRuntime runtime)
    {
        ctx.RequireSuperuser();
        var project = ctx.Project();
        var body = await RequestBody.ReadObjectAsync(ctx);
        var errors = new ErrorData();
        var secrets = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (body["secrets"] is JsonObject so)
        {
            foreach (var (name, value) in so)
            {
                if (!SecretName().IsMatch(name)) { errors.Add("secrets", new FieldError("validation_invalid_name", $"Invalid secret name \"{name}\": use letters, digits and _ (up to 100 characters).")); continue; }
                if (value is null) secrets[name] = null;
                else if (value is JsonValue sv && sv.TryGetValue<string>(out var text) && text.Length <= 10_000) secrets[name] = text;
                else errors.Add("secrets", new FieldError("validation_invalid_value", $"The secret \"{name}\" must be a string (up to 10000 characters) or null."));
            }
        }
        else if (body.ContainsKey("secrets")) errors.Add("secrets", new FieldError("validation_invalid_value", "Expected an object {NAME: value|null}."));
        List<string>? hosts = null;
        if (body["allowHosts"] is JsonArray arr)
        {
            hosts = [];
            foreach (var h in arr)
            {
                if (h is JsonValue hv && hv.TryGetValue<string>(out var host) && HostEntry().IsMatch(host)) hosts.Add(host.Trim());
                else errors.Add("allowHosts", new FieldError("validation_invalid_value", "Each entry must be a host name, an IP address or a CIDR range."));
            }
        }
        else if (body.ContainsKey("allowHosts")) errors.Add("allowHosts", new FieldError("validation_invalid_value", "Expected an array of host names, IPs or CIDR ranges."));
        JsonObject? limits = null;
        if (body.ContainsKey("limits"))
        {
            var stored = FunctionStore.LimitOverrides(await FunctionStore.LoadSettingsAsync(project, ctx.RequestAborted));
            limits = runtime.Limits.MergeOverrides(stored, body["limits"], errors);
        }
        if (!errors.IsEmpty) throw ApiError.BadRequest("Failed to update the function settings.", errors);
        await FunctionStore.UpdateSettingsAsync(project, secrets, hosts, limits, ctx.RequestAborted);
        if (runtime.StateOf(project) is { } state) await runtime.RefreshAsync(state, ctx.RequestAborted);
        await JsonResponse.WriteNodeAsync(ctx, SettingsJson(await FunctionStore.LoadSettingsAsync(project, ctx.RequestAborted), runtime));
    }

    private static async Task TypesAsync(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        await using var s = typeof(FunctionsApi).Assembly.GetManifestResourceStream("PaperGao.Functions.types.d.ts")!;
        ctx.Response.ContentType = "application/typescript; charset=utf-8";
        await s.CopyToAsync(ctx.Response.Body, ctx.RequestAborted);
    }

    /// <summary>Secret names, the allow-list, the project's limit overrides and the effective limits (the server's are the ceilings).</summary>
    private static JsonObject SettingsJson(IReadOnlyDictionary<string, string> settings, FunctionsRuntime runtime) => new()
    {
        ["secrets"] = new JsonArray([.. FunctionStore.SecretNames(settings).Select(n => (JsonNode?)n)]),
        ["allowHosts"] = new JsonArray([.. FunctionStore.AllowHosts(settings).Select(h => (JsonNode?)h)]),
        ["limits"] = FunctionStore.LimitOverrides(settings) ?? new JsonObject(),
        ["effectiveLimits"] = runtime.Limits.WithOverrides(FunctionStore.LimitOverrides(settings)).ToSettingsJson(),
        ["serverLimits"] = runtime.Limits.ToSettingsJson(),
    };

    private static JsonObject ErrorJson(FunctionLoadException e) => new()
    {
        ["file"] = e.File,
        ["line"] = e.Line,
        ["column"] = e.Column,
        ["message"] = e.Reason,
    };

    /// <summary>{files: {name: code}}: names inside the folder (no "..", no absolute paths), .js only, bounded in count and size.</summary>
    public static List<FunctionFile> ParseFiles(JsonObject body, FunctionLimits limits)
    {
        if (body["files"] is not JsonObject o)
            throw ApiError.BadRequest("Failed to deploy.", new ErrorData().Add("files", new FieldError("validation_required", "Expected {files: {\"main.pb.js\": \"code\", ...}}.")));
        var errors = new ErrorData();
        var list = new List<FunctionFile>();
        if (o.Count > MaxFiles) errors.Add("files", new FieldError("validation_too_many", $"At most {MaxFiles} files."));
        foreach (var (name, code) in o)
        {
            if (!FileName().IsMatch(name) || name.Contains("..", StringComparison.Ordinal))
            {
                errors.Add("files", new FieldError("validation_invalid_name", $"Invalid file name \"{name}\": use letters, digits, '_', '-', '.' and '/' ending in .js."));
                continue;
            }
            if (code is not JsonValue cv || !cv.TryGetValue<string>(out var text))
            {
                errors.Add("files", new FieldError("validation_invalid_value", $"The code of \"{name}\" must be a string."));
                continue;
            }
            if (System.Text.Encoding.UTF8.GetByteCount(text) > limits.MaxFileBytes)
            {
                errors.Add("files", new FieldError("validation_too_large", $"\"{name}\" is larger than {limits.MaxFileBytes} bytes."));
                continue;
            }
            list.Add(new FunctionFile(name, text));
        }
        if (!errors.IsEmpty) throw ApiError.BadRequest("Failed to deploy.", errors);
        return list;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_\-./]{0,199}\.js$")]
    private static partial Regex FileName();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]{0,99}$")]
    private static partial Regex SecretName();

    [GeneratedRegex(@"^\s*[A-Za-z0-9.:\-\[\]]+(/\d{1,3})?\s*$")]
    private static partial Regex HostEntry();
}
