using System.Net;

namespace Shop.Bench.Targets;

public static class LoadHttp
{
    /// <summary>
    /// A client for the load: HTTP/1.1 keep-alive connections that live for the whole run, one per concurrent
    /// request, and nothing the load does not need (no cookies, proxy, redirects or decompression).
    /// </summary>
    public static HttpClient Create(string baseAddress) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 4096,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        UseCookies = false,
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        BaseAddress = new Uri(baseAddress),
        // Longer than any request Shop or the baseline lets run (Shop bounds its own at about 45 s).
        Timeout = TimeSpan.FromSeconds(120),
        DefaultRequestVersion = HttpVersion.Version11,
    };
}
