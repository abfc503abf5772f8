using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Realtime.Gateway.Diagnostics;

namespace Realtime.Gateway.Tests;

/// <summary>The gateway's meter moves with real traffic: connections, frames and bytes, rate limits, closes by code.</summary>
public sealed class GatewayMetricsTests
{
    [Fact]
    public async Task ConnectionsFramesRateLimitsAndClosesAreCounted()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            ["Realtime:Gateway:RateLimitPerSecond"] = "1",
            ["Realtime:Gateway:RateLimitBurst"] = "2",
        });
        var meters = server.Services.GetRequiredService<IMeterFactory>();
        using var open = new MetricCollector<long>(meters, GatewayMetrics.MeterName, "realtime.connections");
        using var opened = new MetricCollector<long>(meters, GatewayMetrics.MeterName, "realtime.connections.opened");
        using var closed = new MetricCollector<long>(meters, GatewayMetrics.MeterName, "realtime.connections.closed");
        using var frames = new MetricCollector<long>(meters, GatewayMetrics.MeterName, "realtime.frames.received");
        using var bytes = new MetricCollector<long>(meters, GatewayMetrics.MeterName, "realtime.bytes.received");
        using var limited = new MetricCollector<long>(meters, GatewayMetrics.MeterName, "realtime.frames.rate_limited");

        var client = await server.ConnectAsync();
        var replies = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => client.RequestAsync("system", "ping", new { i })));
        var refused = replies.Count(r => !r.GetProperty("ok").GetBoolean());
        await client.CloseAsync();
        await client.DisposeAsync();
        await TestWait.Until(() => Task.FromResult(closed.GetMeasurementSnapshot().Count == 1), "the close to be counted");

        Assert.Equal(1, opened.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(0, open.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal("/ws", opened.LastMeasurement!.Tags["realtime.path"]);
        Assert.Equal(1000, closed.LastMeasurement!.Tags["realtime.close_code"]);
        Assert.Equal(5, frames.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.True(bytes.GetMeasurementSnapshot().EvaluateAsCounter() > 5 * 20);
        Assert.True(refused >= 2, $"{refused} of 5 pings refused at 1/s with a burst of 2");
        Assert.Equal(refused, limited.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal("frames", limited.LastMeasurement!.Tags["realtime.limit"]);
    }

    [Fact]
    public async Task MetricsAreServedInPrometheusFormatWithOrleansAndAspNetCoreOnes()
    {
        // Listeners are per process and other tests' gateways run beside this one: a path of its own tells its connection apart.
        var path = "/ws/" + Guid.NewGuid().ToString("N");
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Realtime:Gateway:Paths:0"] = path });
        await using var client = await server.ConnectAsync(path);
        await client.RequestAsync("system", "ping", new { });

        var samples = await PrometheusText.ScrapeAsync(new Uri(server.HttpUri, "/metrics"));

        Assert.Equal(1, samples.Sum("realtime_connections", ("realtime_path", path)));
        Assert.Equal(1, samples.Sum("realtime_connections_opened_total", ("realtime_path", path)));
        Assert.True(samples.Sum("realtime_frames_received_total") >= 1);
        Assert.Contains(samples, s => s.Name.StartsWith("orleans_", StringComparison.Ordinal));
        Assert.Contains(samples, s => s.Name.StartsWith("kestrel_", StringComparison.Ordinal));
    }
}
