using Microsoft.AspNetCore.Http;

namespace PaperGao.Api.Infrastructure;

/// <summary>
/// What a request is in terms of collections: the collection segment of the URL (id or name, as sent) and the
/// action (list, view, create, update, delete, authWithPassword, ..., file). Used by API-key scopes and rate limits.
/// </summary>
public readonly record struct RouteInfo(string? Collection, string? Action)
{
    public static readonly IReadOnlySet<string> AuthActions = new HashSet<string>(StringComparer.Ordinal)
    {
        "authWithPassword", "authWithOAuth2", "authWithOTP",
    };

    public bool IsRecordAction => Action is "list" or "view" or "create" or "update" or "delete";

    public static RouteInfo Of(HttpRequest request) => Of(request.Method, request.Path.Value ?? "/");

    /// <summary>
    /// Segments compare case-insensitively and empty segments are skipped, as the router does: "/API//Collections/x/RECORDS"
    /// is the same endpoint as "/api/collections/x/records" and must get the same limits and scopes.
    /// </summary>
    public static RouteInfo Of(string method, string path)
    {
        method = method.ToUpperInvariant();
        var s = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < s.Length; i++)
        {
            if (i != 2) s[i] = s[i].ToLowerInvariant(); // the collection segment keeps its case (names are looked up as sent)
        }
        if (s.Length < 3 || s[0] != "api") return default;
        if (s[1] == "files" && s.Length == 5 && HttpMethods.IsGet(method)) return new(Uri.UnescapeDataString(s[2]), "file");
        if (s[1] != "collections" || s.Length < 4) return default;
        var c = Uri.UnescapeDataString(s[2]);
        if (s[3] == "records")
        {
            return (s.Length, method) switch
            {
                (4, "GET") => new(c, "list"),
                (4, "POST") => new(c, "create"),
                (5, "GET") => new(c, "view"),
                (5, "PATCH") => new(c, "update"),
                (5, "DELETE") => new(c, "delete"),
                _ => default,
            };
        }
        if (s.Length == 5 && s[3] == "impersonate") return new(c, "impersonate");
        if (s.Length != 4) return default;
        var action = (s[3], method) switch
        {
            ("auth-methods", "GET") => "listAuthMethods",
            ("auth-refresh", "POST") => "authRefresh",
            ("auth-with-password", "POST") => "authWithPassword",
            ("auth-with-oauth2", "POST") => "authWithOAuth2",
            ("request-otp", "POST") => "requestOTP",
            ("auth-with-otp", "POST") => "authWithOTP",
            ("request-password-reset", "POST") => "requestPasswordReset",
            ("confirm-password-reset", "POST") => "confirmPasswordReset",
            ("request-verification", "POST") => "requestVerification",
            ("confirm-verification", "POST") => "confirmVerification",
            ("request-email-change", "POST") => "requestEmailChange",
            ("confirm-email-change", "POST") => "confirmEmailChange",
            _ => null,
        };
        return action is null ? default : new(c, action);
    }

    /// <summary>
    /// The path as the router sees it: routing ignores case, repeated slashes and a trailing slash, so labels must too
    /// (otherwise "/API/health" or "/api//health/" would be a way around a "/api/health" rule).
    /// </summary>
    public static string NormalizePath(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return "/" + string.Join('/', segments);
    }
}
