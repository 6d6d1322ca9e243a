using System.Text.Json.Nodes;
using MimeKit;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Auth.MailTestKit;
using static PaperGao.Api.Tests.Functions.FunctionsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Functions;

/// <summary>$app.newMailClient().send(new MailerMessage(...)) through the project's mailer to the (real, test) SMTP server: cc, bcc, text, headers, attachments; bad input is a clean 400.</summary>
public sealed class FunctionMailTests(PostgresCluster postgres)
{
    private const string Code = """
        routerAdd("POST", "/api/mail", (e) => {
          const b = e.requestInfo().body
          $app.newMailClient().send(new MailerMessage({
            from: { address: "shop@example.test", name: "Shop" },
            to: b.to === undefined ? [] : [{ address: b.to, name: "Buyer" }],
            cc: b.cc ? [{ address: b.cc }] : [],
            bcc: b.bcc ? [{ address: b.bcc }] : [],
            subject: b.subject || "Order",
            html: "<p>Thanks</p>",
            text: "Thanks",
            headers: b.headers || { "X-Order": "42" },
            attachments: b.big ? { "big.txt": "x".repeat(10 * 1024 * 1024 + 1) } : { "order.txt": "order 42", "logo.bin": [1, 2, 3], "data.json": { base64: "e30=", contentType: "application/json" } },
          }))
          return e.json(200, { sent: true })
        })
        routerAdd("POST", "/api/mails/{kind}", (e) => {
          const user = $app.findFirstRecordByData("users", "email", e.requestInfo().body.email)
          if (e.request.pathValue("kind") === "reset") $mails.sendRecordPasswordReset($app, user)
          else if (e.request.pathValue("kind") === "verify") $mails.sendRecordVerification($app, user)
          else $mails.sendRecordChangeEmail($app, user, e.requestInfo().body.newEmail)
          return e.noContent(204)
        })
        onMailerRecordPasswordResetSend((e) => { e.message.subject = "Reset from a function for " + e.record.email(); e.next() }, "users")
        onMailerSend((e) => {
          if (e.message.subject === "Order") {
            e.message.cc = e.message.cc.concat([{ address: "audit@example.test" }])
            e.message.text = e.message.text + " (checked, " + Object.keys(e.message.attachments).length + " attachments, bcc " + e.message.bcc.length + ")"
          }
          e.next()
        })
        """;

    [Theory]
    [DatabaseMatrix]
    public async Task A_function_sends_mail_with_cc_bcc_text_headers_and_attachments(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, mail) = await StartAsync(db, postgres, ct);
        await using var _ = app;
        await using var __ = mail;
        var su = await app.SuperuserClientAsync(ct);
        var (status, body) = await DeployAsync(su, Code, ct);
        Assert.True(status == 200, body?.ToJsonString());

        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/mail", new { to = "buyer@example.test", cc = "boss@example.test", bcc = "hidden@example.test" }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        var m = await mail.WaitForMailAsync("buyer@example.test", ct);
        Assert.Equal("Order", m.Subject);
        Assert.Equal("shop@example.test", m.From.Mailboxes.Single().Address);
        Assert.Equal("Buyer", m.To.Mailboxes.Single().Name);
        Assert.Equal(["audit@example.test", "boss@example.test"], m.Cc.Mailboxes.Select(x => x.Address).Order(StringComparer.Ordinal));
        Assert.Empty(m.Bcc); // not in the headers...
        var envelope = m.Headers["X-Test-Envelope-To"];
        Assert.Contains("hidden@example.test", envelope, StringComparison.Ordinal); // ...but delivered
        Assert.Contains("audit@example.test", envelope, StringComparison.Ordinal);
        Assert.Equal("42", m.Headers["X-Order"]);
        Assert.Contains("<p>Thanks</p>", m.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("Thanks (checked, 3 attachments, bcc 1)", m.TextBody!.Trim());
        var parts = m.Attachments.OfType<MimePart>().ToDictionary(a => a.FileName ?? "", a => a);
        Assert.Equal(["data.json", "logo.bin", "order.txt"], parts.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("order 42", System.Text.Encoding.UTF8.GetString(Bytes(parts["order.txt"])));
        Assert.Equal(new byte[] { 1, 2, 3 }, Bytes(parts["logo.bin"]));
        Assert.Equal("application/json", parts["data.json"].ContentType.MimeType);
        Assert.Equal("{}", System.Text.Encoding.UTF8.GetString(Bytes(parts["data.json"])));

        // Bad input: a clean 400 naming the field, and nothing sent.
        var before = mail.ReceivedCount;
        await AssertBadAsync(app, new { }, "to", ct);
        await AssertBadAsync(app, new { to = "not-an-address" }, "to", ct);
        await AssertBadAsync(app, new { to = "a@example.test", cc = "bad@@example" }, "cc", ct);
        await AssertBadAsync(app, new { to = "a@example.test", big = true }, "attachments", ct);
        await AssertBadAsync(app, new { to = "a@example.test", headers = new JsonObject { ["Bcc"] = "sneaky@example.test" } }, "headers", ct);
        await AssertBadAsync(app, new { to = "a@example.test", headers = new JsonObject { ["X-Inject"] = "a\r\nBcc: sneaky@example.test" } }, "headers", ct);
        await AssertBadAsync(app, new { to = "a@example.test", subject = "two\r\nlines" }, "subject", ct);
        Assert.Equal(before, mail.ReceivedCount);

        // $mails: the auth flows' mails for a record, with a token that works, through the record mailer hooks.
        await CreateUserAsync(app, "uma@example.test", ct);
        Assert.Equal(204, (await SendAsync(app.Client, HttpMethod.Post, "/api/mails/reset", new { email = "uma@example.test" }, ct)).Status);
        var reset = await mail.WaitForMailAsync("uma@example.test", ct);
        Assert.Equal("Reset from a function for uma@example.test", reset.Subject);
        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/confirm-password-reset",
            new { token = LinkToken(reset, "password-reset"), password = "new-password-123", passwordConfirm = "new-password-123" }, ct);
        Assert.True(status == 204, body?.ToJsonString());
        Assert.Equal(204, (await SendAsync(app.Client, HttpMethod.Post, "/api/mails/verify", new { email = "uma@example.test" }, ct)).Status);
        var verify = await mail.WaitForMailAsync("uma@example.test", ct);
        Assert.Equal(204, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/confirm-verification", new { token = LinkToken(verify, "verification") }, ct)).Status);
        Assert.Equal(204, (await SendAsync(app.Client, HttpMethod.Post, "/api/mails/change", new { email = "uma@example.test", newEmail = "uma2@example.test" }, ct)).Status);
        await mail.WaitForMailAsync("uma2@example.test", ct);
        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/mails/change", new { email = "uma@example.test", newEmail = "nope" }, ct);
        Assert.Equal(400, status);
        Assert.NotNull(body!["data"]!["newEmail"]);
    }

    private static async Task AssertBadAsync(PaperGaoApp app, object input, string field, CancellationToken ct)
    {
        var (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/mail", input, ct);
        Assert.True(status == 400, $"{field}: {status} {body?.ToJsonString()}");
        Assert.NotNull(body!["data"]![field]);
    }

    private static byte[] Bytes(MimePart part)
    {
        using var ms = new MemoryStream();
        part.Content!.DecodeTo(ms);
        return ms.ToArray();
    }
}
