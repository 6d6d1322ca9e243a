using Microsoft.Extensions.Logging;
using PaperGao.Core.Projects;

namespace PaperGao.Functions.Engine;

/// <summary>What the functions of one project may reach: the project itself, its log, its outbound HTTP and its secrets.</summary>
public sealed class FunctionRuntimeContext(Project project, ILogger log, FunctionLimits limits, Func<HttpClient> http, Func<string, string?> secret)
{
    public Project Project { get; } = project;
    public ILogger Log { get; } = log;
    /// <summary>This project's limits: the server's with the project's overrides (swapped when the settings change; a set keeps the limits it was loaded with).</summary>
    public FunctionLimits Limits { get; set; } = limits;

    /// <summary>The guarded outbound client for this project (its allow-list applied).</summary>
    public Func<HttpClient> Http { get; } = http;

    /// <summary>A project secret by name (write-only for people; functions read them through $os.getenv).</summary>
    public Func<string, string?> Secret { get; } = secret;

    /// <summary>The clock of cron and of the load time (tests move a fake one).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The server's push queues ($push.send); null outside a server (the CLI's checks), where $push.send throws.</summary>
    public Api.Push.PushQueues? Push { get; init; }

    /// <summary>The server's mailer ($app.newMailClient()); null when the host has none.</summary>
    public Core.Mail.IMailer? Mailer { get; init; }

    /// <summary>Function log lines (console.*, $app.logger()) go here too: the project's request logs.</summary>
    public Action<string, string, string, string>? LogSink { get; init; }
}
