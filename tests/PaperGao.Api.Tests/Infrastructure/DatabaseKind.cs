namespace PaperGao.Api.Tests.Infrastructure;

/// <summary>The databases every API test runs against (see <see cref="DatabaseMatrixAttribute"/>).</summary>
public enum DatabaseKind
{
    Sqlite,
    Postgres,
}
