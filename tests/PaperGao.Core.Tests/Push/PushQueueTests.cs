using PaperGao.Core.Push;

namespace PaperGao.Core.Tests.Push;

public sealed class PushQueueTests
{
    private static PushJob Job(string id) =>
        new(id, new PushToTopic("news"), new PushMessage("t", "", null, 60, "normal", ""), 1, "2026-01-01 00:00:00.000Z");

    [Fact]
    public async Task A_full_queue_refuses_at_once_and_runs_what_it_took_in_order()
    {
        var ct = TestContext.Current.CancellationToken;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ran = new List<string>();
        var abandoned = new List<string>();
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var queue = new PushQueue(2, async (job, _) =>
        {
            lock (ran) ran.Add(job.SendId);
            started.TrySetResult();
            await release.Task;
            if (job.SendId == "c") allDone.TrySetResult();
        }, job => { lock (abandoned) abandoned.Add(job.SendId); return Task.CompletedTask; }, (_, _) => { });

        Assert.True(queue.TryEnqueue(Job("a")));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), ct); // "a" runs and blocks the worker
        Assert.True(queue.TryEnqueue(Job("b")));
        Assert.True(queue.TryEnqueue(Job("c")));
        Assert.Equal(2, queue.Waiting);
        Assert.False(queue.TryEnqueue(Job("d"))); // full: refused without waiting
        release.SetResult();
        await allDone.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        lock (ran) Assert.Equal(["a", "b", "c"], ran);
        Assert.Empty(abandoned);
    }

    [Fact]
    public async Task A_failing_send_does_not_stop_the_worker_and_waiting_sends_are_abandoned_on_dispose()
    {
        var ct = TestContext.Current.CancellationToken;
        var errors = new List<string>();
        var abandoned = new List<string>();
        var secondRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var block = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = new PushQueue(10, async (job, token) =>
        {
            if (job.SendId == "boom") throw new InvalidOperationException("delivery failed");
            if (job.SendId == "ok") { secondRan.TrySetResult(); return; }
            await block.Task.WaitAsync(token); // "slow" waits until the queue stops
        }, job => { lock (abandoned) abandoned.Add(job.SendId); return Task.CompletedTask; }, (job, _) => { lock (errors) errors.Add(job.SendId); });

        Assert.True(queue.TryEnqueue(Job("boom")));
        Assert.True(queue.TryEnqueue(Job("ok")));
        await secondRan.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.Equal(["boom"], errors);
        Assert.True(queue.TryEnqueue(Job("slow")));
        Assert.True(queue.TryEnqueue(Job("waiting")));
        await queue.DisposeAsync();
        Assert.Contains("slow", abandoned);
        Assert.Contains("waiting", abandoned);
        Assert.False(queue.TryEnqueue(Job("late")));
    }

    [Theory]
    [InlineData(null, 1, 1.0, 1.25)]
    [InlineData(null, 3, 4.0, 4.25)]
    [InlineData(7.0, 1, 7.0, 7.0)]
    [InlineData(-5.0, 2, 0.0, 0.0)]
    [InlineData(3600.0, 1, 60.0, 60.0)]
    public void Retry_delay_follows_retry_after_within_the_cap_else_backs_off(double? retryAfter, int attempt, double min, double max)
    {
        var d = PushDelivery.RetryDelay(retryAfter is { } s ? TimeSpan.FromSeconds(s) : null, attempt);
        Assert.InRange(d.TotalSeconds, min, max);
    }
}
