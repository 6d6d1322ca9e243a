namespace PaperGao.Core.Push;

/// <summary>One accepted send waiting in its project's queue (its log row is already written, status "queued").</summary>
public sealed record PushJob(string SendId, PushTarget Target, PushMessage Message, long Recipients, string Created);
