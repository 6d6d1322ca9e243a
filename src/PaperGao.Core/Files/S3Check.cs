using System.Security.Cryptography;
using Amazon.Runtime;

namespace PaperGao.Core.Files;

/// <summary>
/// Whether an S3 configuration works: writes a small object under a random "pb_settings_test_" prefix, then deletes
/// the prefix (so listing and deleting are exercised too), as PocketBase's test/s3 does. Used by
/// POST /api/settings/test/s3 and before enabling or changing the s3 settings. Bounded by <see cref="Timeout"/>.
/// </summary>
public static class S3Check
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>Null when the bucket works, otherwise a short reason safe to show to a superuser.</summary>
    public static async Task<string?> RunAsync(S3Settings settings, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(Timeout);
        var prefix = "pb_settings_test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        try
        {
            using var storage = new S3FileStorage(settings);
            using var content = new MemoryStream("test"u8.ToArray());
            await storage.WriteAsync(prefix + "/test.txt", content, "text/plain", cts.Token);
            await storage.DeletePrefixAsync(prefix + "/", cts.Token);
            return null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return "The S3 server did not answer in time.";
        }
        catch (Exception ex) when (ex is Net.OutboundException or AmazonServiceException or AmazonClientException or HttpRequestException or IOException or ArgumentException or InvalidOperationException)
        {
            var inner = ex;
            while (inner.InnerException is not null && inner.Message.Length == 0) inner = inner.InnerException;
            var message = inner.Message.ReplaceLineEndings(" ");
            return "Failed to use the S3 bucket: " + (message.Length > 300 ? message[..300] + "..." : message);
        }
    }
}
