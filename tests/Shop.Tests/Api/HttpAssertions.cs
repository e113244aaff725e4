using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Shop.Tests.Api;

public static class HttpAssertions
{
    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected} but got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Asserts an RFC 9457 problem response with the status, and the exact detail when given.</summary>
    public static async Task<JsonNode> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected, string? detail = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected} but got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal((int)expected, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()), body);
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), body);
        if (detail is not null)
        {
            Assert.Equal(detail, problem["detail"]!.GetValue<string>());
        }

        return problem;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) => client.PostAsJsonAsync(path, body);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string path, object body) => client.PutAsJsonAsync(path, body);

    /// <summary>Sends a raw body, exactly as given, as application/json.</summary>
    public static Task<HttpResponseMessage> SendRawAsync(this HttpClient client, HttpMethod method, string path, string body) =>
        client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") });

    public static long Id(this JsonNode node) => node["id"]!.GetValue<long>();
}
