using PaperGao.Core.Data;
using PaperGao.Core.Data.Sqlite;

namespace PaperGao.Core.Tests.Data;

public sealed class SqliteGroupCommitTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pg-groupcommit-" + Guid.NewGuid().ToString("N")[..10]);
    private SqliteProjectDatabase _db = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _db = new SqliteProjectDatabase(Path.Combine(_dir, "data.db"));
        await _db.WriteAsync(tx => _db.ExecuteAsync(tx, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"));
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Concurrent_writes_commit_together_and_a_failing_one_rolls_back_alone()
    {
        var ct = TestContext.Current.CancellationToken;
        var tasks = Enumerable.Range(0, 200).Select(i => Task.Run(() => _db.WriteAsync(async tx =>
        {
            var p = new SqlParams();
            await _db.ExecuteAsync(tx, $"INSERT INTO t (id, v) VALUES ({p.Add(i)}, {p.Add("v" + i)})", p, ct);
            if (i % 3 == 0) throw new InvalidOperationException("refused " + i);
            return i;
        }, ct), ct)).ToArray();
        var outcomes = await Task.WhenAll(tasks.Select(async t =>
        {
            try { return (Ok: true, Value: await t, Error: (string?)null); }
            catch (InvalidOperationException e) { return (Ok: false, Value: -1, Error: e.Message); }
        }));

        Assert.Equal(Enumerable.Range(0, 200).Count(i => i % 3 != 0), outcomes.Count(o => o.Ok));
        Assert.All(outcomes.Where(o => !o.Ok), o => Assert.StartsWith("refused ", o.Error, StringComparison.Ordinal));
        var stored = await _db.ReadAsync(async conn =>
        {
            await using var cmd = _db.Command(conn, null, "SELECT id FROM t ORDER BY id");
            await using var r = await cmd.ExecuteReaderAsync(ct);
            var ids = new List<long>();
            while (await r.ReadAsync(ct)) ids.Add(r.GetInt64(0));
            return ids;
        }, ct);
        Assert.Equal(Enumerable.Range(0, 200).Where(i => i % 3 != 0).Select(i => (long)i), stored);
    }

    [Fact]
    public async Task A_write_that_breaks_the_unique_constraint_fails_without_touching_its_neighbours()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = _db.WriteAsync(tx => _db.ExecuteAsync(tx, "INSERT INTO t (id, v) VALUES (1, 'a')", null, ct), ct);
        var duplicate = _db.WriteAsync(tx => _db.ExecuteAsync(tx, "INSERT INTO t (id, v) VALUES (1, 'b')", null, ct), ct);
        var third = _db.WriteAsync(tx => _db.ExecuteAsync(tx, "INSERT INTO t (id, v) VALUES (2, 'c')", null, ct), ct);
        await first;
        await Assert.ThrowsAnyAsync<Microsoft.Data.Sqlite.SqliteException>(() => duplicate);
        await third;
        var values = await _db.ReadAsync(async conn => (string?)await _db.ScalarAsync(conn, null, "SELECT group_concat(v, ',') FROM (SELECT v FROM t ORDER BY id)", null, ct), ct);
        Assert.Equal("a,c", values);
    }
}
