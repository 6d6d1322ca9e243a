using System.Reflection;
using Xunit.Sdk;
using Xunit.v3;

namespace PaperGao.Api.Tests.Infrastructure;

/// <summary>
/// Runs a theory once per database: <c>sqlite</c> and <c>postgres</c>. The test's first parameter is a
/// <see cref="DatabaseKind"/>; extra constructor arguments are appended to every row. A PostgreSQL row is never
/// dropped: when no server is available it is reported as skipped (or failed with PAPERGAO_REQUIRE_POSTGRES=1)
/// by <see cref="PostgresCluster"/>. Each row carries the trait <c>db</c> = <c>sqlite</c>|<c>postgres</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class DatabaseMatrixAttribute(params object?[] extraArguments) : DataAttribute
{
    public object?[] ExtraArguments { get; } = extraArguments;

    public override ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker)
    {
        IReadOnlyCollection<ITheoryDataRow> rows = [Row(DatabaseKind.Sqlite), Row(DatabaseKind.Postgres)];
        return new(rows);
    }

    public override bool SupportsDiscoveryEnumeration() => true;

    private TheoryDataRow Row(DatabaseKind kind)
    {
        var name = kind.ToString().ToLowerInvariant();
        return new TheoryDataRow([kind, .. ExtraArguments]).WithTrait("db", name);
    }
}
