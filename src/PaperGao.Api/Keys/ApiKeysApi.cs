using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.ApiKeys;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;

namespace PaperGao.Api.Keys;

/// <summary>
/// GET/POST /api/keys and DELETE /api/keys/{id}: a project's API keys (docs/api-keys.md). Only a signed-in superuser
/// manages keys (not a key, so a leaked key cannot mint others). The secret is in the create answer only.
/// </summary>
public static class ApiKeysApi
{
    private const int MaxNameLength = 100;

    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/keys").WithTags("API keys");
        g.MapGet("", (Func<HttpContext, Task>)ListAsync).WithName("ListApiKeys").WithSummary("List the project's API keys (never their secrets).");
        g.MapPost("", (Func<HttpContext, Task>)CreateAsync).WithName("CreateApiKey").WithSummary("Create an API key {name, superuser | scopes[{collection, actions}], push, expires}; the key is shown once.");
        g.MapDelete("/{id}", DeleteAsync).WithName("DeleteApiKey").WithSummary("Revoke an API key.");
        return app;
    }

    private static void RequireSuperuserSession(HttpContext ctx)
    {
        if (ctx.ApiKey() is not null) throw ApiError.Forbidden("API keys cannot manage API keys.");
        ctx.RequireSuperuser();
    }

    private static async Task ListAsync(HttpContext ctx)
    {
        RequireSuperuserSession(ctx);
        var project = ctx.Project();
        var keys = await ApiKeyStore.ListAsync(project.Database, ctx.RequestAborted);
        await JsonResponse.WriteNodeAsync(ctx, new JsonArray([.. keys.Select(k => (JsonNode)ToJson(project, k))]));
    }

    private static async Task CreateAsync(HttpContext ctx)
    {
        RequireSuperuserSession(ctx);
        var project = ctx.Project();
        var body = await RequestBody.ReadObjectAsync(ctx);
        var (id, secret) = ApiKeySecret.Generate();
        var clock = ctx.UtcNow();
        var now = DateTimes.Format(clock);
        var key = Validate(project, body, id, ApiKeySecret.Hash(secret), now, clock);
        await ApiKeyStore.InsertAsync(project.Database, key, ctx.RequestAborted);
        var json = ToJson(project, key);
        json["key"] = secret;
        await JsonResponse.WriteNodeAsync(ctx, json);
    }

    private static async Task DeleteAsync(HttpContext ctx, string id)
    {
        RequireSuperuserSession(ctx);
        if (!await ApiKeyStore.DeleteAsync(ctx.Project().Database, id, ctx.RequestAborted)) throw ApiError.NotFound();
        JsonResponse.NoContent(ctx);
    }

    private static ApiKey Validate(Project project, JsonObject body, string id, string hash, string now, DateTimeOffset clock)
    {
        var errors = new ErrorData();
        var name = body["name"] is JsonValue nv && nv.TryGetValue<string>(out var ns) ? ns.Trim() : null;
        if (body["name"] is not null && name is null) errors.Add("name", new FieldError("validation_invalid_value", "Must be a string."));
        else if (string.IsNullOrEmpty(name)) errors.Add("name", FieldError.Required());
        else if (name.Length > MaxNameLength) errors.Add("name", new FieldError("validation_length_too_long", $"Must be no more than {MaxNameLength} characters."));

        var superuser = false;
        if (body["superuser"] is { } su && !(su is JsonValue sv && sv.TryGetValue(out superuser)))
            errors.Add("superuser", new FieldError("validation_invalid_value", "Must be a boolean."));

        var push = false;
        if (body["push"] is { } pu && !(pu is JsonValue pv && pv.TryGetValue(out push)))
            errors.Add("push", new FieldError("validation_invalid_value", "Must be a boolean."));

        var scopes = new List<ApiKeyScope>();
        var scopesNode = body["scopes"];
        if (scopesNode is not (null or JsonArray)) errors.Add("scopes", new FieldError("validation_invalid_value", "Must be an array."));
        else if (scopesNode is JsonArray arr)
        {
            if (superuser && arr.Count > 0) errors.Add("scopes", new FieldError("validation_superuser_key_scopes", "A superuser key has no scopes."));
            else ParseScopes(project, arr, scopes, errors);
        }
        if (!superuser && !push && scopes.Count == 0 && !errors.Contains("scopes"))
            errors.Add("scopes", new FieldError("validation_required", "Give the key scopes or the push flag, or make it a superuser key."));

        var expires = "";
        if (body["expires"] is { } ex)
        {
            if (ex is not JsonValue ev || !ev.TryGetValue<string>(out var es) || !DateTimes.TryNormalize(es, out expires))
                errors.Add("expires", new FieldError("validation_invalid_date", "Must be a valid date."));
            else if (expires.Length > 0 && DateTimes.TryParse(expires, out var at) && at <= clock)
                errors.Add("expires", new FieldError("validation_date_in_past", "Must be in the future."));
        }
        if (!errors.IsEmpty) throw ApiError.BadRequest("An error occurred while validating the submitted data.", errors);
        return new ApiKey(id, name!, hash, superuser, scopes, expires, "", now, now) { Push = push };
    }

    private static void ParseScopes(Project project, JsonArray arr, List<ApiKeyScope> scopes, ErrorData errors)
    {
        var all = new ErrorData();
        for (var i = 0; i < arr.Count; i++)
        {
            var e = new ErrorData();
            var o = arr[i] as JsonObject;
            var name = o?["collection"] is JsonValue cv && cv.TryGetValue<string>(out var cs) ? cs : "";
            var c = name.Length > 0 ? project.Collections.Find(name) : null;
            if (name.Length == 0) e.Add("collection", FieldError.Required());
            else if (c is null) e.Add("collection", new FieldError("validation_unknown_collection", "Unknown collection."));
            else if (scopes.Any(s => s.CollectionId == c.Id)) e.Add("collection", new FieldError("validation_duplicate_collection", "The collection is listed twice."));
            var actions = new HashSet<string>(StringComparer.Ordinal);
            if (o?["actions"] is not JsonArray acts || acts.Count == 0) e.Add("actions", FieldError.Required());
            else
            {
                foreach (var a in acts)
                {
                    if (a is JsonValue av && av.TryGetValue<string>(out var s) && ApiKeyActions.IsKnown(s)) actions.Add(s);
                    else
                    {
                        e.Add("actions", new FieldError("validation_invalid_action", "Actions must be among list, view, create, update, delete."));
                        break;
                    }
                }
            }
            if (!e.IsEmpty) all.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture), e);
            else scopes.Add(new ApiKeyScope(c!.Id, actions));
        }
        if (!all.IsEmpty) errors.Add("scopes", all);
    }

    private static JsonObject ToJson(Project project, ApiKey k) => new()
    {
        ["id"] = k.Id,
        ["name"] = k.Name,
        ["superuser"] = k.Superuser,
        ["push"] = k.Push,
        ["scopes"] = new JsonArray([.. k.Scopes.Select(s => (JsonNode)new JsonObject
        {
            ["collection"] = s.CollectionId,
            ["collectionName"] = project.Collections.FindById(s.CollectionId)?.Name ?? "",
            ["actions"] = new JsonArray([.. ApiKeyActions.All.Where(s.Actions.Contains).Select(a => (JsonNode)a)]),
        })]),
        ["expires"] = k.Expires,
        ["lastUsed"] = k.LastUsed,
        ["created"] = k.Created,
        ["updated"] = k.Updated,
    };
}
