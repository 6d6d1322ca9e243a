using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Auth;
using PaperGao.Core.Common;
using PaperGao.Core.Hooks;
using PaperGao.Core.Mail;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Api.Auth;

/// <summary>
/// POST /request-otp and /auth-with-otp (protocol.md §5.6). The code is otp.length random digits, stored bcrypt-hashed
/// in _otps (the otpId is that record's id), single use, valid otp.duration seconds. request-otp always answers
/// 200 {otpId}, with a random id when no record has the email; the code is stored and mailed off the request path.
/// </summary>
public static class OtpApi
{
    private const string InvalidOtp = "Invalid or expired OTP";

    public static IEndpointRouteBuilder MapOtpApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/collections/{collection}/request-otp", RequestAsync)
            .WithTags("Auth").WithName("RequestOtp").WithSummary("Emails a one-time password; answers the otpId to sign in with.");
        app.MapPost("/api/collections/{collection}/auth-with-otp", AuthAsync)
            .WithTags("Auth").WithName("AuthWithOtp").WithSummary("Signs in with an otpId and its one-time password.");
        return app;
    }

    private static async Task RequestAsync(HttpContext ctx, string collection)
    {
        var project = ctx.Project();
        var c = AuthResponse.AuthCollection(project, collection);
        var otp = OtpOptions.From(c.Auth!);
        if (!otp.Enabled) throw ApiError.Forbidden("The collection is not configured to allow OTP authentication.");
        var record = await EmailFlows.FindRequestedRecordAsync(ctx, project, c);
        var otpId = RandomString.LowerAlphanumeric(15);
        if (record is not null)
        {
            var otps = project.Collections.Find(SystemCollections.Otps) ?? throw new InvalidOperationException("The _otps collection is missing.");
            EmailFlows.SendInBackground(ctx, project, "OTP", MailerEvent.Otp, record, async ct =>
            {
                var code = Digits(otp.Length);
                var sentTo = record.GetString("email");
                await RecordWriter.CreateAsync(project, otps, new JsonObject
                {
                    ["id"] = otpId, ["collectionRef"] = c.Id, ["recordRef"] = record.Id, ["password"] = code, ["sentTo"] = sentTo,
                }, EmailFlows.System, ct: ct);
                return MailTemplates.Render(c.Auth!, MailTemplates.Otp, EmailFlows.Values(project, record, otp: code, otpId: otpId), sentTo);
            });
        }
        await JsonResponse.WriteAsync(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteString("otpId", otpId);
            w.WriteEndObject();
        });
    }

    private static async Task AuthAsync(HttpContext ctx, string collection)
    {
        var project = ctx.Project();
        var c = AuthResponse.AuthCollection(project, collection);
        var options = OtpOptions.From(c.Auth!);
        if (!options.Enabled) throw ApiError.Forbidden("The collection is not configured to allow OTP authentication.");
        var body = await RequestBody.ReadObjectAsync(ctx);
        var errors = new ErrorData();
        var otpId = BodyFields.Str(body, "otpId", errors, required: true);
        var password = BodyFields.Str(body, "password", errors, required: true, max: 71);
        EmailFlows.ThrowIfInvalid(errors);

        var otps = project.Collections.Find(SystemCollections.Otps) ?? throw new InvalidOperationException("The _otps collection is missing.");
        var otp = await EmailFlows.FindByIdAsync(project, otps, otpId, ctx.RequestAborted);
        if (otp is null || otp.GetString("collectionRef") != c.Id) throw ApiError.BadRequest(InvalidOtp);
        var limiterKey = OtpAttemptLimiter.Key(project.Name, c.Id, otp.GetString("recordRef"));
        var now = ctx.UtcNow();
        if (await OtpAttemptLimiter.IsBlockedAsync(project, limiterKey, now, ctx.RequestAborted)) throw new ApiError(429, "Too Many Requests.");
        if (!DateTimes.TryParse(otp.GetString("created"), out var created) || created.AddSeconds(options.Duration) < now)
        {
            await DeleteAsync(project, otps, otp.Id, ctx.RequestAborted);
            throw ApiError.BadRequest(InvalidOtp);
        }
        // bcrypt comparison: constant time in the code, whatever it is.
        if (!await PasswordHasher.VerifyAsync(password, otp.GetString("password"), ctx.RequestAborted))
        {
            await OtpAttemptLimiter.RecordFailureAsync(project, limiterKey, now, CancellationToken.None);
            throw ApiError.BadRequest(InvalidOtp);
        }
        // Single use: only the request that deletes the OTP signs in (two concurrent uses cannot both win).
        if (!await DeleteAsync(project, otps, otp.Id, ctx.RequestAborted)) throw ApiError.BadRequest(InvalidOtp);
        var record = await EmailFlows.FindByIdAsync(project, c, otp.GetString("recordRef"), ctx.RequestAborted) ?? throw ApiError.BadRequest(InvalidOtp);
        if (!record.GetBool("verified") && string.Equals(otp.GetString("sentTo"), record.GetString("email"), StringComparison.OrdinalIgnoreCase))
            record = await RecordWriter.UpdateAsync(project, c, record.Id, new JsonObject { ["verified"] = true }, EmailFlows.System, ct: ctx.RequestAborted);
        await AuthResponse.WriteAsync(ctx, project, record, AuthTokens.NewAuthToken(record, ctx.UtcNow()), "otp", mfaMethod: "otp", mfaId: MfaCheck.BodyMfaId(body));
    }

    /// <summary>Deletes the OTP row; true only for the one caller whose DELETE removed it (single use under concurrency).</summary>
    private static async Task<bool> DeleteAsync(Project project, Core.Collections.Collection otps, string id, CancellationToken ct)
    {
        var d = project.Dialect;
        var prm = new Core.Data.SqlParams();
        var sql = $"DELETE FROM {d.Quote(otps.Name)} WHERE {d.Quote("id")} = {prm.Add(id)}";
        var affected = await project.Database.WriteAsync(tx => project.Database.ExecuteAsync(tx, sql, prm, ct), ct);
        return affected == 1;
    }

    private static string Digits(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        return new string(chars);
    }
}
