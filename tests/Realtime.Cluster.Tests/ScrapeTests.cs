namespace Realtime.Cluster.Tests;

/// <summary>Every process of a cluster serves <c>/metrics</c> and its health over HTTP.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class ScrapeTests(SharedClusterFixture fixture)
{
    private ProcessCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task EverySiloAndGatewayServesMetricsAndHealth()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await using var member = await WsClient.ConnectAsync(Cluster.Gateways[0].WsUri);
        await member.JoinAsync(TestIds.Room());
        var rooms = 0.0;
        foreach (var silo in Cluster.Silos)
        {
            var samples = await PrometheusText.ScrapeAsync(new Uri(silo.HttpUri, "/metrics"));
            rooms += samples.Sum("realtime_rooms");
            Assert.Contains(samples, s => s.Name.StartsWith("orleans_", StringComparison.Ordinal));
            Assert.True(samples.Sum("dotnet_process_cpu_count") >= 1);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri(silo.HttpUri, "/health/live"))).StatusCode);
            var ready = await http.GetAsync(new Uri(silo.HttpUri, "/health/ready"));
            Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
            Assert.Contains("\"siloStatus\":\"Active\"", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.True(silo.Process.Wrote($"cluster '{Cluster.ClusterId}' on Redis at 127.0.0.1:{Cluster.Redis.Port}"), silo.Process.Tail());
        }

        Assert.True(rooms >= 1, "the room joined is active on a silo");
        foreach (var gateway in Cluster.Gateways)
        {
            await using var client = await WsClient.ConnectAsync(gateway.WsUri);
            var samples = await PrometheusText.ScrapeAsync(new Uri(gateway.HttpUri, "/metrics"));
            Assert.True(samples.Sum("realtime_connections") >= 1);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri(gateway.HttpUri, "/health/ready"))).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri(gateway.HttpUri, "/health/live"))).StatusCode);
            Assert.True(gateway.Process.Wrote($"Realtime gateway ready, a client of cluster '{Cluster.ClusterId}' on Redis at 127.0.0.1:{Cluster.Redis.Port}"), gateway.Process.Tail());
            Assert.Contains(samples, s => s.Name.StartsWith("orleans_", StringComparison.Ordinal));
        }
    }
}
