namespace PaperGao.Functions.Engine;

/// <summary>
/// Threads of their own for the function calls that wait while they run: a hook handler with code after
/// <c>e.next()</c> (the rest of the chain, the write included, runs inside that call, and Jint cannot suspend a
/// script, so the thread waits), a mailer hook (e.next() sends the mail) and a cron run. On a .NET pool thread such a
/// wait would take a thread from every other request of the server; here it holds one of these instead. Threads are
/// made when none is idle and end after <see cref="IdleTime"/> without work; how many can wait at once is bounded by
/// the engines (a call holds an engine while it runs: <see cref="FunctionLimits.MaxEngines"/> per project) and, as a
/// last guard, by <see cref="MaxThreads"/> (beyond it a call runs on the caller's thread, as before).
/// </summary>
public static class WaitingThreads
{
    public static readonly TimeSpan IdleTime = TimeSpan.FromSeconds(30);
    public const int MaxThreads = 256;
    private static readonly List<Worker> Idle = []; // a stack (the most recently idle first), guarded by itself
    private static int _threads;
    private static int _busy;

    /// <summary>Calls running on these threads now.</summary>
    public static int Busy => Volatile.Read(ref _busy);

    /// <summary>Threads alive now (busy or idle).</summary>
    public static int Threads => Volatile.Read(ref _threads);

    /// <summary>Runs <paramref name="work"/> on an idle thread of this pool, or a new one, in the caller's execution context.</summary>
    public static Task<T> RunAsync<T>(Func<T> work)
    {
        var item = new Item<T>(work, ExecutionContext.Capture());
        Worker? worker = null;
        lock (Idle)
        {
            if (Idle.Count > 0)
            {
                worker = Idle[^1];
                Idle.RemoveAt(Idle.Count - 1);
            }
        }
        if (worker is not null)
        {
            worker.Give(item);
        }
        else if (Interlocked.Increment(ref _threads) <= MaxThreads)
        {
            new Worker().Start(item);
        }
        else
        {
            Interlocked.Decrement(ref _threads);
            item.Run();
        }
        return item.Task;
    }

    private interface IWorkItem
    {
        void Run();
    }

    private sealed class Item<T>(Func<T> work, ExecutionContext? context) : IWorkItem
    {
        private readonly Func<T> _work = work;
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _done.Task;

        public void Run()
        {
            Interlocked.Increment(ref _busy);
            try
            {
                if (context is null) _done.TrySetResult(_work());
                else ExecutionContext.Run(context, static s => { var self = (Item<T>)s!; self._done.TrySetResult(self._work()); }, this);
            }
            catch (Exception e)
            {
                _done.TrySetException(e);
            }
            finally
            {
                Interlocked.Decrement(ref _busy);
            }
        }
    }

    /// <summary>One thread: runs what it is given, then waits on a monitor (no spinning: the machine's cores belong to the requests).</summary>
    private sealed class Worker
    {
        private readonly object _gate = new(); // a monitor (Wait/Pulse), not a System.Threading.Lock
        private IWorkItem? _item;

        public void Start(IWorkItem first)
        {
            _item = first;
            new Thread(Loop) { IsBackground = true, Name = "PaperGao function" }.Start();
        }

        public void Give(IWorkItem item)
        {
            lock (_gate)
            {
                _item = item;
                Monitor.Pulse(_gate);
            }
        }

        private void Loop()
        {
            while (true)
            {
                IWorkItem item;
                lock (_gate)
                {
                    while (_item is null)
                    {
                        if (Monitor.Wait(_gate, IdleTime) || _item is not null) continue;
                        lock (Idle)
                        {
                            if (Idle.Remove(this))
                            {
                                Interlocked.Decrement(ref _threads);
                                return;
                            }
                        }
                        // taken off the idle list just as the wait ended: its work is on the way (Give waits for this lock)
                    }
                    item = _item;
                    _item = null;
                }
                item.Run();
                lock (Idle) Idle.Add(this);
            }
        }
    }
}
