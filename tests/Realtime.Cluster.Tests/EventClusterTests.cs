using System.Net.Http.Json;
using Realtime.Events;

namespace Realtime.Cluster.Tests;

/// <summary>
/// Custom and lifecycle events across two silos and two gateways, handled by an application module
/// loaded into every process (its handlers and subscribers run on the silos; the gateways, which load
/// it too, serve its endpoint and run none of them): each event once, whoever published it and wherever.
/// </summary>
public sealed class EventClusterTests
{
    private const string ApiKey = "cluster-test-api-key-0123";

    [Fact]
    public async Task EveryEventIsHandledOnceWhereverItWasPublished()
    {
        await using var cluster = await ProcessCluster.StartAsync(silos: 2, gateways: 2, new Dictionary<string, string>
        {
            ["Realtime:Modules:0"] = ProcessCluster.TestModuleDll,
            ["Realtime:Api:Key"] = ApiKey,
            ["Realtime:Gateway:RateLimitPerSecond"] = "0",
        });
        await using var watcher = await WsClient.ConnectAsync(cluster.Gateways[0].WsUri);
        await watcher.JoinAsync("audit:log");
        var realtime = await cluster.RealtimeAsync();
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);

        // The module's own HTTP endpoint, on each host that loaded it: the silos and the gateways.
        foreach (var host in cluster.Silos.Select(s => s.HttpUri).Concat(cluster.Gateways.Select(g => g.HttpUri)))
        {
            Assert.Equal("hello from the module's endpoint", await http.GetStringAsync(new Uri(host, "/module/hello")));
        }

        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            foreach (var gateway in cluster.Gateways)
            {
                var response = await http.PostAsJsonAsync(new Uri(gateway.HttpUri, "/api/publish-event"), new { channel = "orders.created", payload = new { i } });
                response.EnsureSuccessStatusCode();
                ids.Add((await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!);
            }

            var fromService = RealtimeEvent.Create("orders.shipped", new { i });
            await realtime.PublishEventAsync(fromService);
            ids.Add(fromService.Id);
        }

        await using (var newcomer = await WsClient.ConnectAsync(cluster.Gateways[1].WsUri))
        {
            var hello = await newcomer.RequestAsync("module", "hello");
            Assert.Equal($"hello {newcomer.ClientId} from the module", hello.GetProperty("data").GetString());
        }

        var seen = new List<(string Id, string Channel)>();
        await cluster.Explain(async () =>
        {
            while (!ids.All(id => seen.Any(s => s.Id == id)) || !seen.Any(s => s.Channel == RealtimeEventChannels.ClientConnected))
            {
                var push = await watcher.NextPushAsync($"the audit of every event ({seen.Count} so far)");
                var data = push.GetProperty("data");
                seen.Add((data.GetProperty("id").GetString()!, data.GetProperty("channel").GetString()!));
            }

            return true;
        });

        // A marker published last: anything handled twice would have come before it.
        var marker = RealtimeEvent.Create("orders.marker", new { });
        await realtime.PublishEventAsync(marker);
        while (seen[^1].Id != marker.Id)
        {
            var push = await watcher.NextPushAsync("the marker's audit");
            var data = push.GetProperty("data");
            seen.Add((data.GetProperty("id").GetString()!, data.GetProperty("channel").GetString()!));
        }

        Assert.Equal(seen.Count, seen.Select(s => s.Id).Distinct().Count());
        Assert.Equal(30, seen.Count(s => s.Channel.StartsWith("orders.", StringComparison.Ordinal) && s.Channel != "orders.marker"));
    }
}
