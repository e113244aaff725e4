using System.Net;
using System.Text.Json.Nodes;

namespace Shop.Tests.Api;

/// <summary>Waits (bounded) for the read side, which is projected after commit, to show what a test expects.</summary>
public static class Eventually
{
    /// <summary>Waits until the listing at <paramref name="pageUrl"/> has at least <paramref name="atLeast"/> items; fails after <paramref name="within"/> (10 s unless given).</summary>
    public static Task HasAsync(HttpClient client, string pageUrl, int atLeast, TimeSpan? within = null) =>
        ShowsAsync(client, pageUrl, page => page["total"]!.GetValue<long>() >= atLeast, $"at least {atLeast} items", within);

    /// <summary>
    /// Waits until the page at <paramref name="pageUrl"/> satisfies <paramref name="shows"/> (what it should show, for the
    /// failure message: <paramref name="what"/>); fails after <paramref name="within"/> (10 s unless given).
    /// </summary>
    public static async Task ShowsAsync(HttpClient client, string pageUrl, Func<JsonNode, bool> shows, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var page = await (await client.GetAsync(pageUrl)).JsonAsync(HttpStatusCode.OK);
            if (shows(page))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{pageUrl} does not show {what} yet: {page.ToJsonString()}");
            await Task.Delay(100);
        }
    }
}
