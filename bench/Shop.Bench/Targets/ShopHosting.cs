namespace Shop.Bench.Targets;

/// <summary>Where Shop's API runs in a benchmark: the values of <c>--hosting</c>.</summary>
public static class ShopHosting
{
    /// <summary>The API as a separate process, an Orleans client of the silos (gateway hop per request).</summary>
    public const string Client = "client";

    /// <summary>Each silo process serves the API itself: grain calls from a request start in the silo.</summary>
    public const string Cohosted = "cohosted";
}
