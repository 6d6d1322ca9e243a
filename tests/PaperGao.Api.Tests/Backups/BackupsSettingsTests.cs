using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Backups;

/// <summary>The schedule's settings (backups.cron, backups.cronMaxKeep) are validated as PocketBase does, field by field.</summary>
public sealed class BackupsSettingsTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task The_schedule_settings_are_validated_field_by_field_and_nothing_is_saved_on_error(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);

        await AssertRefusedAsync(su, new { backups = new { cron = "every day at noon", cronMaxKeep = 3 } }, ("cron", "validation_invalid_cron"), ct);
        await AssertRefusedAsync(su, new { backups = new { cron = "61 * * * *", cronMaxKeep = 3 } }, ("cron", "validation_invalid_cron"), ct);
        await AssertRefusedAsync(su, new { backups = new { cron = 5, cronMaxKeep = 3 } }, ("cron", "validation_invalid_cron"), ct);
        await AssertRefusedAsync(su, new { backups = new { cron = "0 3 * * *", cronMaxKeep = 0 } }, ("cronMaxKeep", "validation_required"), ct);
        await AssertRefusedAsync(su, new { backups = new { cron = "0 3 * * *", cronMaxKeep = -2 } }, ("cronMaxKeep", "validation_min_greater_equal_than_required"), ct);
        await AssertRefusedAsync(su, new { backups = new { cron = "0 3 * * *", cronMaxKeep = 1.5 } }, ("cronMaxKeep", "validation_invalid_value"), ct);
        await AssertRefusedAsync(su, new { backups = new { cron = "0 3 * * *", cronMaxKeep = "3" } }, ("cronMaxKeep", "validation_invalid_value"), ct);
        await AssertRefusedAsync(su, new { backups = new { cron = new string('1', 300), cronMaxKeep = 3 } }, ("cron", "validation_length_too_long"), ct);
        // Both fields wrong: both named.
        var (status, body) = await SendAsync(su, HttpMethod.Patch, "/api/settings", new { backups = new { cron = "nope", cronMaxKeep = -1 } }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_invalid_cron", body!["data"]!["backups"]!["cron"]!["code"]!.GetValue<string>());
        Assert.Equal("validation_min_greater_equal_than_required", body["data"]!["backups"]!["cronMaxKeep"]!["code"]!.GetValue<string>());

        // Nothing was saved by the refused requests.
        var backups = (await GetJsonAsync(su, "/api/settings", ct))["backups"]!;
        Assert.Equal("", backups["cron"]?.GetValue<string>() ?? "");

        // Valid schedules are saved: 5 fields, a macro, and clearing the schedule (no cronMaxKeep needed then).
        var saved = await PatchAsync(su, new { backups = new { cron = "30 3 * * 1-5", cronMaxKeep = 7 } }, ct);
        Assert.Equal("30 3 * * 1-5", saved["backups"]!["cron"]!.GetValue<string>());
        Assert.Equal(7, saved["backups"]!["cronMaxKeep"]!.GetValue<int>());
        saved = await PatchAsync(su, new { backups = new { cron = "@daily", cronMaxKeep = 2 } }, ct);
        Assert.Equal("@daily", saved["backups"]!["cron"]!.GetValue<string>());
        saved = await PatchAsync(su, new { backups = new { cron = "", cronMaxKeep = 0 } }, ct);
        Assert.Equal("", saved["backups"]!["cron"]!.GetValue<string>());
    }

    private static async Task AssertRefusedAsync(HttpClient su, object patch, (string Field, string Code) expected, CancellationToken ct)
    {
        var (status, body) = await SendAsync(su, HttpMethod.Patch, "/api/settings", patch, ct);
        Assert.True(status == 400, $"{status} {body?.ToJsonString()}");
        Assert.Equal(400, body!["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(body["message"]!.GetValue<string>()));
        var error = body["data"]!["backups"]![expected.Field];
        Assert.True(error is JsonObject, body.ToJsonString());
        Assert.Equal(expected.Code, error!["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
    }

    private static async Task<JsonNode> PatchAsync(HttpClient su, object patch, CancellationToken ct)
    {
        var (status, body) = await SendAsync(su, HttpMethod.Patch, "/api/settings", patch, ct);
        Assert.True(status == 200, $"{status} {body?.ToJsonString()}");
        return body!;
    }
}
