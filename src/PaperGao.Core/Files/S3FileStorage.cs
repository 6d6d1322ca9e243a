using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace PaperGao.Core.Files;

/// <summary>
/// Files in an S3-compatible bucket (AWS, MinIO, R2, s3rver...). Keys are used as object keys unchanged (PocketBase's layout).
/// Checksums are only computed when the service requires them, so servers without the newer trailing-checksum
/// uploads work; non-seekable sources are spooled to a temporary file first so the payload can be signed.
/// </summary>
public sealed class S3FileStorage : IFileStorage, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly string _bucket;

    public S3FileStorage(S3Settings settings)
    {
        _bucket = settings.Bucket;
        var config = new AmazonS3Config
        {
            ForcePathStyle = settings.ForcePathStyle,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            HttpClientFactory = S3HttpClientFactory.Instance, // through the outbound guard (SSRF)
        };
        if (!string.IsNullOrWhiteSpace(settings.Endpoint))
        {
            config.ServiceURL = settings.Endpoint;
            config.AuthenticationRegion = string.IsNullOrWhiteSpace(settings.Region) ? "us-east-1" : settings.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(string.IsNullOrWhiteSpace(settings.Region) ? "us-east-1" : settings.Region);
        }
        _client = new AmazonS3Client(new BasicAWSCredentials(settings.AccessKey, settings.Secret), config);
    }

    public string Kind => "s3";

    public async Task WriteAsync(string key, Stream content, string contentType, CancellationToken ct = default)
    {
        FileKeys.Validate(key);
        if (content.CanSeek)
        {
            await PutAsync(key, content, contentType, ct);
            return;
        }
        var tmp = Path.Combine(Path.GetTempPath(), "papergao-s3-" + Guid.NewGuid().ToString("N"));
        await using var spool = new FileStream(tmp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await content.CopyToAsync(spool, 81920, ct);
        spool.Position = 0;
        await PutAsync(key, spool, contentType, ct);
    }

    private Task PutAsync(string key, Stream content, string contentType, CancellationToken ct) =>
        _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket,
            Key = key,
            InputStream = content,
            AutoCloseStream = false,
            AutoResetStreamPosition = false,
            ContentType = contentType,
            UseChunkEncoding = false,
        }, ct);

    public async Task<StoredObject?> StatAsync(string key, CancellationToken ct = default)
    {
        FileKeys.Validate(key);
        try
        {
            var r = await _client.GetObjectMetadataAsync(_bucket, key, ct);
            return new StoredObject(key, r.ContentLength, ToOffset(r.LastModified), NullIfEmpty(r.Headers.ContentType));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<StoredContent?> OpenReadAsync(string key, long offset = 0, long? length = null, CancellationToken ct = default)
    {
        FileKeys.Validate(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var stat = await StatAsync(key, ct);
        if (stat is null) return null;
        var request = new GetObjectRequest { BucketName = _bucket, Key = key };
        var end = length is { } n ? Math.Min(stat.Length, offset + n) - 1 : stat.Length - 1;
        if (stat.Length == 0 || offset >= stat.Length) return new StoredContent(Stream.Null, stat);
        if (offset > 0 || end < stat.Length - 1) request.ByteRange = new ByteRange(offset, end);
        try
        {
            var r = await _client.GetObjectAsync(request, ct);
            return new StoredContent(new ResponseStream(r), stat);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken ct = default) => await StatAsync(key, ct) is not null;

    public async Task DeleteAsync(string key, CancellationToken ct = default)
    {
        FileKeys.Validate(key);
        await _client.DeleteObjectAsync(_bucket, key, ct);
    }

    public async Task<int> DeletePrefixAsync(string prefix, CancellationToken ct = default)
    {
        FileKeys.ValidatePrefix(prefix);
        var count = 0;
        var batch = new List<string>();
        await foreach (var o in ListAsync(prefix, ct))
        {
            batch.Add(o.Key);
            if (batch.Count == 1000) count += await DeleteManyAsync(batch, ct);
        }
        if (batch.Count > 0) count += await DeleteManyAsync(batch, ct);
        return count;
    }

    private async Task<int> DeleteManyAsync(List<string> keys, CancellationToken ct)
    {
        // One request per key: DeleteObjects needs a Content-MD5 that some S3-compatible servers check differently.
        foreach (var k in keys) await _client.DeleteObjectAsync(_bucket, k, ct);
        var n = keys.Count;
        keys.Clear();
        return n;
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        FileKeys.ValidatePrefix(prefix);
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix };
        while (true)
        {
            var r = await _client.ListObjectsV2Async(request, ct);
            foreach (var o in r.S3Objects ?? [])
            {
                if (FileKeys.IsValid(o.Key)) yield return new StoredObject(o.Key, o.Size ?? 0, ToOffset(o.LastModified), null);
            }
            if (r.IsTruncated != true) yield break;
            request.ContinuationToken = r.NextContinuationToken;
        }
    }

    private static DateTimeOffset ToOffset(DateTime? d) =>
        d is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc)) : DateTimeOffset.UnixEpoch;

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    public void Dispose() => _client.Dispose();

    /// <summary>The body of a GetObject response; disposing it disposes the response.</summary>
    private sealed class ResponseStream(GetObjectResponse response) : Stream
    {
        private readonly Stream _inner = response.ResponseStream;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) response.Dispose();
            base.Dispose(disposing);
        }
    }
}
