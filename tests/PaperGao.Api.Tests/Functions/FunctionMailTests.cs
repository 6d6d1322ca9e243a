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

    private const string MailsCode = """
        routerAdd("POST", "/api/mails/otp", (e) => {
          const b = e.requestInfo().body
          const user = $app.findFirstRecordByData("users", "email", b.email)
          let otpId = b.otpId
          if (b.create) {
            const otp = new Record($app.findCollectionByNameOrId("_otps"))
            otp.set("collectionRef", user.collection().id)
            otp.set("recordRef", user.id)
            otp.set("sentTo", b.sentTo || "")
            otp.set("password", b.pass)
            $app.save(otp)
            otpId = otp.id
          }
          $mails.sendRecordOTP($app, user, otpId, b.pass)
          return e.json(200, { otpId: otpId })
        })
        routerAdd("POST", "/api/mails/alert", (e) => {
          const b = e.requestInfo().body
          $mails.sendRecordAuthAlert($app, $app.findFirstRecordByData("users", "email", b.email), b.info)
          return e.noContent(204)
        })
        routerAdd("GET", "/api/otps/{id}/sent-to", (e) => e.json(200, { sentTo: $app.findRecordById("_otps", e.request.pathValue("id")).getString("sentTo") }))
        onMailerRecordOTPSend((e) => { e.message.subject = "Code from a function for " + e.record.email(); e.next() }, "users")
        onMailerRecordAuthAlertSend((e) => { e.message.subject = "Alert from a function"; e.next() }, "users")
        """;

    [Theory]
    [DatabaseMatrix]
    public async Task Mails_sends_otp_and_auth_alert_mails_through_the_record_mailer_hooks(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, mail) = await StartAsync(db, postgres, ct);
        await using var _ = app;
        await using var __ = mail;
        var su = await app.SuperuserClientAsync(ct);
        var (status, body) = await DeployAsync(su, MailsCode, ct);
        Assert.True(status == 200, body?.ToJsonString());
        await CreateUserAsync(app, "otto@example.test", ct);
        (status, body) = await SendAsync(su, HttpMethod.Patch, "/api/collections/users", new { otp = new { enabled = true } }, ct);
        Assert.True(status == 200, body?.ToJsonString());

        // An OTP the function made: the mail carries its code through onMailerRecordOTPSend, the OTP records where it
        // went, and the code signs in.
        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/mails/otp", new { email = "otto@example.test", pass = "24681357", create = true }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        var otpId = body!["otpId"]!.GetValue<string>();
        var m = await mail.WaitForMailAsync("otto@example.test", ct);
        Assert.Equal("Code from a function for otto@example.test", m.Subject);
        Assert.Equal("24681357", OtpCode(m));
        Assert.Equal("otto@example.test", await SentToAsync(su, otpId, ct));

        // An OTP already sent elsewhere keeps its sentTo; an id with no OTP record is still mailed (as PocketBase).
        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/mails/otp", new { email = "otto@example.test", pass = "11223344", create = true, sentTo = "first@example.test" }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        Assert.Equal("11223344", OtpCode(await mail.WaitForMailAsync("otto@example.test", ct)));
        Assert.Equal("first@example.test", await SentToAsync(su, body!["otpId"]!.GetValue<string>(), ct));
        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/mails/otp", new { email = "otto@example.test", pass = "99887766", otpId = "nosuchotp000000" }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        Assert.Equal("99887766", OtpCode(await mail.WaitForMailAsync("otto@example.test", ct)));

        // The new-login alert: info escaped into the template, through onMailerRecordAuthAlertSend.
        Assert.Equal(204, (await SendAsync(app.Client, HttpMethod.Post, "/api/mails/alert", new { email = "otto@example.test", info = "Firefox <b>on</b> Linux, 203.0.113.7" }, ct)).Status);
        var alert = await mail.WaitForMailAsync("otto@example.test", ct);
        Assert.Contains("Firefox &lt;b&gt;on&lt;/b&gt; Linux, 203.0.113.7", alert.HtmlBody, StringComparison.Ordinal);

        // Bad input: a 400 naming the argument, and nothing sent.
        var before = mail.ReceivedCount;
        foreach (var (input, field) in new (object, string)[]
        {
            (new { email = "otto@example.test", pass = "", otpId = "abc" }, "pass"),
            (new { email = "otto@example.test", pass = new string('1', 72), otpId = "abc" }, "pass"),
            (new { email = "otto@example.test", pass = "12345678" }, "otpId"),
        })
        {
            (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/mails/otp", input, ct);
            Assert.True(status == 400 && body!["data"]![field] is not null, $"{field}: {status} {body?.ToJsonString()}");
        }
        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/mails/alert", new { email = "otto@example.test", info = "two\nlines" }, ct);
        Assert.True(status == 400 && body!["data"]!["info"] is not null, body?.ToJsonString());
        Assert.Equal(before, mail.ReceivedCount);

        // The first code the function mailed signs in.
        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/auth-with-otp", new { otpId, password = "24681357" }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        Assert.Equal("otto@example.test", body!["record"]!["email"]!.GetValue<string>());
    }

    /// <summary>The OTP's sentTo (a hidden field: read through a function's full-access $app).</summary>
    private static async Task<string> SentToAsync(HttpClient su, string otpId, CancellationToken ct)
    {
        var (status, body) = await SendAsync(su, HttpMethod.Get, "/api/otps/" + otpId + "/sent-to", null, ct);
        Assert.True(status == 200, body?.ToJsonString());
        return body!["sentTo"]!.GetValue<string>();
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
