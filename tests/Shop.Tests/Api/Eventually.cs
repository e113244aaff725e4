using System.Net;

namespace Shop.Tests.Api;

/// <summary>Waits (bounded) for the read side, which is projected after commit, to show what a test expects.</summary>
public static class Eventually
{
    public static async Task HasAsync(HttpClient client, string pageUrl, int atLeast)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var page = await (await client.GetAsync(pageUrl)).JsonAsync(HttpStatusCode.OK);
            var total = page["total"]!.GetValue<long>();
            if (total >= atLeast)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{pageUrl} still has {total} items, expected {atLeast}.");
            await Task.Delay(100);
        }
    }
}
