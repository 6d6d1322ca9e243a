using System.Reflection;
using Xunit.Sdk;
using Xunit.v3;

namespace PaperGao.Api.Tests.Infrastructure;

/// <summary>
/// Runs a theory on every database × file storage pair: (sqlite|postgres) × (local|s3). The test's parameters are
/// a <see cref="DatabaseKind"/> and a <see cref="StorageKind"/>. Rows carry the traits <c>db</c> and <c>storage</c>.
/// PostgreSQL rows are skipped (not dropped) like <see cref="DatabaseMatrixAttribute"/>'s.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StorageMatrixAttribute : DataAttribute
{
    public override ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker)
    {
        IReadOnlyCollection<ITheoryDataRow> rows =
        [
            Row(DatabaseKind.Sqlite, StorageKind.Local), Row(DatabaseKind.Sqlite, StorageKind.S3),
            Row(DatabaseKind.Postgres, StorageKind.Local), Row(DatabaseKind.Postgres, StorageKind.S3),
        ];
        return new(rows);
    }

    public override bool SupportsDiscoveryEnumeration() => true;

    private static TheoryDataRow Row(DatabaseKind db, StorageKind storage) =>
        new TheoryDataRow(db, storage).WithTrait("db", db.ToString().ToLowerInvariant()).WithTrait("storage", storage.ToString().ToLowerInvariant());
}
