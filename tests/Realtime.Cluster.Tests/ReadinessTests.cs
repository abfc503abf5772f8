using System.Net;

namespace Realtime.Cluster.Tests;

/// <summary>A gateway's <c>/health/ready</c> follows its cluster; <c>/health/live</c> only the process.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task AGatewayIsNotReadyWhileItsClusterIsDownAndReadyAgainAfter()
    {
        await using var cluster = await ProcessCluster.StartAsync(silos: 1, gateways: 1);
        var gateway = cluster.Gateways[0];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(gateway.HttpUri, "/health/ready"))).StatusCode);

        var silo = cluster.Silos[0];
        await silo.Process.KillAsync();
        await TestWait.Until(async () => (await http.GetAsync(new Uri(gateway.HttpUri, "/health/ready"))).StatusCode == HttpStatusCode.ServiceUnavailable, "the gateway to be unready", TimeSpan.FromSeconds(60));
        var unready = await (await http.GetAsync(new Uri(gateway.HttpUri, "/health"))).Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(gateway.HttpUri, "/health/live"))).StatusCode);

        await cluster.StartSiloAsync(replacing: silo);
        await TestWait.Until(async () => (await http.GetAsync(new Uri(gateway.HttpUri, "/health/ready"))).StatusCode == HttpStatusCode.OK, "the gateway to be ready again", TimeSpan.FromSeconds(90));
        Assert.Contains("\"cluster\":\"unreachable\"", unready, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGatewayListensBeforeItsClusterAnswersAndSaysWhatItWaitsFor()
    {
        await using var cluster = await ProcessCluster.StartAsync(silos: 0, gateways: 0);
        var gateway = await cluster.StartGatewayAsync(waitHealthy: false);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var answer = "";
        await TestWait.Until(
            async () =>
            {
                try
                {
                    using var ready = await http.GetAsync(new Uri(gateway.HttpUri, "/health/ready"));
                    answer = $"{(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync()}";
                    return answer.Contains("no silo has answered yet", StringComparison.Ordinal);
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            "the gateway to answer HTTP with no silo up, saying what it waits for",
            TimeSpan.FromSeconds(30));
        Assert.StartsWith("503 ", answer, StringComparison.Ordinal);
        Assert.Contains("Waiting for the cluster: no silo has answered yet", answer, StringComparison.Ordinal);
        await gateway.Process.WaitForOutputAsync("Not accepting connections yet: waiting", TimeSpan.FromSeconds(30));

        await cluster.StartSiloAsync();

        await gateway.WaitHealthyAsync();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(gateway.HttpUri, "/health/ready"))).StatusCode);
    }
}
