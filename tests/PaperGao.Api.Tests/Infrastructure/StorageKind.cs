namespace PaperGao.Api.Tests.Infrastructure;

/// <summary>The file storage backends the file tests run against (see <see cref="StorageMatrixAttribute"/>).</summary>
public enum StorageKind
{
    Local,
    S3,
}
