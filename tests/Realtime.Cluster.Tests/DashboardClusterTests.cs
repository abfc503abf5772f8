using System.Net;
using System.Text.Json;

namespace Realtime.Cluster.Tests;

/// <summary>The dashboard in a cluster: on the silo host and on a gateway that is only a client, both showing the cluster.</summary>
public sealed class DashboardClusterTests
{
    private const string ApiKey = "dashboard-cluster-key";

    [Fact]
    public async Task TheSiloAndTheGatewayBothServeTheDashboardBehindTheKey()
    {
        await using var cluster = await ProcessCluster.StartAsync(silos: 1, gateways: 1, new Dictionary<string, string>
        {
            ["Realtime:Dashboard:Enabled"] = "true",
            ["Realtime:Api:Key"] = ApiKey,
        });
        using var http = new HttpClient();
        foreach (var host in new[] { cluster.Silos[0].HttpUri, cluster.Gateways[0].HttpUri })
        {
            using var refused = await http.GetAsync(new Uri(host, "/dashboard/"));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host, "/dashboard/DashboardCounters")) { Headers = { { "X-Api-Key", ApiKey } } };
            using var counters = await http.SendAsync(request);
            var body = await counters.Content.ReadAsStringAsync();
            Assert.True(counters.StatusCode == HttpStatusCode.OK, $"{host}: {(int)counters.StatusCode} {body}");

            // The cluster's own figures, whichever process serves them: its one silo, and the realtime grains on it.
            using var json = JsonDocument.Parse(body);
            var silo = Assert.Single(json.RootElement.GetProperty("hosts").EnumerateArray());
            Assert.Equal("Active", silo.GetProperty("status").GetString());
            Assert.Contains(json.RootElement.GetProperty("simpleGrainStats").EnumerateArray(), g => g.GetProperty("grainType").GetString()!.StartsWith("Realtime.Grains.", StringComparison.Ordinal));
        }
    }
}
