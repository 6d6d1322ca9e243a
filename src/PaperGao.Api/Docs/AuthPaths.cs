using System.Text.Json.Nodes;
using PaperGao.Core.Collections;
using static PaperGao.Api.Docs.CollectionPaths;

namespace PaperGao.Api.Docs;

/// <summary>The auth routes of one auth collection in the OpenAPI document, with its record schema in the answers.</summary>
internal static class AuthPaths
{
    public static void Add(JsonObject paths, Collection c, string tag, string n)
    {
        var p = "/api/collections/" + c.Name;
        JsonObject Auth() => new()
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["token"] = new JsonObject { ["type"] = "string" }, ["record"] = Ref(n + "Record"), ["meta"] = new JsonObject { ["type"] = "object" } },
            ["required"] = new JsonArray("token", "record"),
        };
        paths[p + "/auth-methods"] = Get(Operation(tag, "auth_methods_" + c.Name, "List the sign-in methods", "Password, OAuth2 providers, OTP and MFA settings.", [], Ok(new JsonObject { ["type"] = "object" })));
        paths[p + "/auth-with-password"] = Post(Operation(tag, "auth_with_password_" + c.Name, "Sign in with a password", "With MFA on, the first factor answers 401 with an mfaId.", [], Ok(Auth())),
            Props(("identity", "string"), ("password", "string"), ("identityField", "string"), ("mfaId", "string")), "identity", "password");
        paths[p + "/auth-refresh"] = Post(Operation(tag, "auth_refresh_" + c.Name, "Refresh the token", "Needs the record's token.", [], Ok(Auth())), null);
        paths[p + "/auth-with-oauth2"] = Post(Operation(tag, "auth_with_oauth2_" + c.Name, "Sign in with an OAuth2 code", "The code flow with PKCE.", [], Ok(Auth())),
            Props(("provider", "string"), ("code", "string"), ("codeVerifier", "string"), ("redirectURL", "string"), ("createData", "object"), ("mfaId", "string")), "provider", "code", "codeVerifier", "redirectURL");
        paths[p + "/request-otp"] = Post(Operation(tag, "request_otp_" + c.Name, "Mail a one-time password", "Answers the otpId to sign in with.", [],
            Ok(new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["otpId"] = new JsonObject { ["type"] = "string" } } })), Props(("email", "string")), "email");
        paths[p + "/auth-with-otp"] = Post(Operation(tag, "auth_with_otp_" + c.Name, "Sign in with a one-time password", "", [], Ok(Auth())),
            Props(("otpId", "string"), ("password", "string"), ("mfaId", "string")), "otpId", "password");
        paths[p + "/request-verification"] = Post(Operation(tag, "request_verification_" + c.Name, "Mail a verification link", "", [], NoContent()), Props(("email", "string")), "email");
        paths[p + "/confirm-verification"] = Post(Operation(tag, "confirm_verification_" + c.Name, "Confirm a verification", "", [], NoContent()), Props(("token", "string")), "token");
        paths[p + "/request-password-reset"] = Post(Operation(tag, "request_password_reset_" + c.Name, "Mail a password reset link", "", [], NoContent()), Props(("email", "string")), "email");
        paths[p + "/confirm-password-reset"] = Post(Operation(tag, "confirm_password_reset_" + c.Name, "Set a new password with a reset token", "", [], NoContent()),
            Props(("token", "string"), ("password", "string"), ("passwordConfirm", "string")), "token", "password", "passwordConfirm");
        paths[p + "/request-email-change"] = Post(Operation(tag, "request_email_change_" + c.Name, "Mail an email change link to the new address", "Needs the record's token.", [], NoContent()),
            Props(("newEmail", "string")), "newEmail");
        paths[p + "/confirm-email-change"] = Post(Operation(tag, "confirm_email_change_" + c.Name, "Confirm an email change", "", [], NoContent()),
            Props(("token", "string"), ("password", "string")), "token", "password");
    }

    private static JsonObject Get(JsonObject op) => new() { ["get"] = op };

    private static JsonObject Post(JsonObject op, JsonObject? properties, params string[] required)
    {
        if (properties is not null)
        {
            var schema = new JsonObject { ["type"] = "object", ["properties"] = properties };
            if (required.Length > 0) schema["required"] = new JsonArray([.. required.Select(r => (JsonNode)r)]);
            WithBody(op, JsonBody(schema));
        }
        return new JsonObject { ["post"] = op };
    }

    private static JsonObject Props(params (string Name, string Type)[] props) =>
        new([.. props.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)new JsonObject { ["type"] = p.Type }))]);
}
