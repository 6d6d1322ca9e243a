using Amazon.Runtime;
using PaperGao.Core.Net;

namespace PaperGao.Core.Files;

/// <summary>
/// The S3 SDK's HTTP client, connecting through the outbound guard (Core/Net/OutboundHttp): an S3 endpoint set by a
/// project superuser cannot reach loopback, private, link-local or metadata addresses unless the server operator
/// allow-lists them (SSRF). Its own handler, only because transfers of large files need the SDK's timeouts rather
/// than the shared client's 30 s; the connection check is the shared one. No redirects, no proxy.
/// </summary>
internal sealed class S3HttpClientFactory : HttpClientFactory
{
    public static readonly S3HttpClientFactory Instance = new();

    private static readonly HttpClient Shared = new(OutboundHttp.CreateHandler(AllowList.Empty, followRedirects: false))
    {
        Timeout = Timeout.InfiniteTimeSpan, // the SDK bounds each request itself
    };

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => Shared;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override string GetConfigUniqueString(IClientConfig clientConfig) => "papergao-guarded";
}
