namespace PaperGao.Api.Tests.Infrastructure;

/// <summary>Waiting on a condition with a deadline: the one way tests wait for background work (never a fixed sleep).</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every <paramref name="every"/> (20 ms) until it holds; a TimeoutException naming
    /// <paramref name="what"/> after <paramref name="timeout"/> (20 s).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, CancellationToken ct, string what = "the condition", TimeSpan? timeout = null, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(20), ct);
        }
    }

    public static Task UntilAsync(Func<bool> condition, CancellationToken ct, string what = "the condition", TimeSpan? timeout = null, TimeSpan? every = null) =>
        UntilAsync(() => Task.FromResult(condition()), ct, what, timeout, every);
}
