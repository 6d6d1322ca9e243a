using System.Diagnostics;
using MimeKit;

namespace PaperGao.Core.Mail;

/// <summary>
/// The local mail program (<c>sendmail -t -i</c>) a project's mail goes to while its SMTP is off, as PocketBase does.
/// The server operator chooses it (<c>--sendmail</c>): a path, <c>auto</c> (a <c>sendmail</c> on PATH, in /usr/sbin or
/// /usr/lib) or <c>off</c>. The message is written to the program's standard input; no shell, no argument from a user.
/// </summary>
public sealed class SendmailProgram(string path)
{
    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(30);

    public string Path { get; } = path;

    /// <summary>The program the setting names, or null when it is off or (auto) none is installed.</summary>
    public static SendmailProgram? Resolve(string? setting)
    {
        var value = (setting ?? "auto").Trim();
        if (value.Length == 0 || value.Equals("off", StringComparison.OrdinalIgnoreCase)) return null;
        if (!value.Equals("auto", StringComparison.OrdinalIgnoreCase)) return new SendmailProgram(value);
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/lib"]);
        var found = dirs.Select(d => System.IO.Path.Combine(d, "sendmail")).FirstOrDefault(File.Exists);
        return found is null ? null : new SendmailProgram(found);
    }

    /// <summary>Hands the message to the program; a missing program, a non-zero exit or the time limit is a MailException.</summary>
    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        if (!File.Exists(Path)) throw new MailException($"SMTP is off and the mail program {Path} does not exist.");
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add("-t");
        start.ArgumentList.Add("-i");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeLimit);
        using var process = Process.Start(start) ?? throw new MailException($"The mail program {Path} could not be started.");
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await message.WriteToAsync(process.StandardInput.BaseStream, timeout.Token);
            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token);
            await stdout;
            var error = (await stderr).Trim();
            if (process.ExitCode != 0)
                throw new MailException($"The mail program {Path} exited with {process.ExitCode}" + (error.Length > 0 ? ": " + FirstLine(error) : "."));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new MailException($"The mail program {Path} did not finish within {TimeLimit.TotalSeconds:0} s.");
        }
        catch (IOException ex)
        {
            // The program ended before reading the whole message (a broken pipe).
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            throw new MailException($"The mail program {Path} stopped reading the message: {ex.Message}", ex);
        }
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 200 ? line[..200] : line;
    }
}
