using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Realtime.Gateway.Diagnostics;
using Realtime.Grains;

namespace Realtime.Gateway.Tests;

/// <summary>
/// The delivery side of the gateway's meter and the silo's meter move with real traffic: frames and
/// bytes out, deliveries, send-queue bytes, publish-to-write latency, recoveries; rooms, online users,
/// handler calls and their errors.
/// </summary>
public sealed class DeliveryMetricsTests
{
    private const string GrainsMeter = "Realtime.Grains";

    [Fact]
    public async Task ARoomPublishIsCountedFromTheRoomToTheSockets()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Realtime:Gateway:RateLimitPerSecond"] = "0" });
        var meters = server.Services.GetRequiredService<IMeterFactory>();
        using var framesOut = new MetricCollector<long>(meters, GatewayMetrics.MeterName, "realtime.frames.sent");
        using var bytesOut = new MetricCollector<long>(meters, GatewayMetrics.MeterName, "realtime.bytes.sent");
        using var deliveries = new MetricCollector<long>(meters, GatewayMetrics.MeterName, "realtime.deliveries");
        using var queue = new MetricCollector<long>(meters, GatewayMetrics.MeterName, "realtime.send_queue.size");
        using var latency = new MetricCollector<double>(meters, GatewayMetrics.MeterName, "realtime.delivery.latency");
        using var recoveries = new MetricCollector<long>(meters, GatewayMetrics.MeterName, "realtime.recoveries");
        using var rooms = new MetricCollector<long>(meters, GrainsMeter, "realtime.rooms");

        var room = TestIds.Room();
        await using var publisher = await server.ConnectAsync();
        await using var member = await server.ConnectAsync();
        await publisher.JoinAsync(room);
        var joined = await member.JoinAsync(room);
        var seq = await publisher.PublishAsync(room, new { text = "counted" });
        await member.NextPushAsync("the member's push");

        // A third connection asks for what it missed since before the publish: all of it is there.
        await using var late = await server.ConnectAsync();
        await late.JoinAsync(room, since: seq - 1, epoch: joined.GetProperty("epoch").GetString());

        Assert.Equal(1, rooms.GetMeasurementSnapshot().EvaluateAsCounter());
        await TestWait.Until(() => Task.FromResult(latency.GetMeasurementSnapshot().Count >= 1), "the push's write to be timed");
        Assert.All(latency.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 0, 10));
        Assert.True(deliveries.GetMeasurementSnapshot().Where(m => (string?)m.Tags["realtime.target"] == "room").Sum(m => m.Value) >= 1);
        Assert.True(framesOut.GetMeasurementSnapshot().EvaluateAsCounter() >= 6, "connected, two join replies, a publish reply and a push");
        Assert.True(bytesOut.GetMeasurementSnapshot().EvaluateAsCounter() > framesOut.GetMeasurementSnapshot().EvaluateAsCounter() * 10);
        Assert.Equal(framesOut.GetMeasurementSnapshot().Count, queue.GetMeasurementSnapshot().Count);
        var recovery = Assert.Single(recoveries.GetMeasurementSnapshot());
        Assert.Equal(true, recovery.Tags["realtime.recovered"]);
    }

    [Fact]
    public async Task OnlineUsersAndHandlerCallsAreCountedOnTheSilo()
    {
        await using var server = await GatewayServer.StartAsync(
            new Dictionary<string, string>
            {
                ["Realtime:Auth:SigningKey"] = Tokens.Key,
                ["Realtime:Auth:Issuer"] = Tokens.Issuer,
                ["Realtime:Auth:Audience"] = Tokens.Audience,
                ["Realtime:Presence:OfflineGracePeriod"] = "00:00:00",
            },
            builder => builder.Services.AddRealtimeHandlers(TestHandlers.Register));
        var meters = server.Services.GetRequiredService<IMeterFactory>();
        using var online = new MetricCollector<long>(meters, GrainsMeter, "realtime.users.online");
        using var duration = new MetricCollector<double>(meters, GrainsMeter, "realtime.handler.duration");
        using var errors = new MetricCollector<long>(meters, GrainsMeter, "realtime.handler.errors");

        var alice = await server.ConnectWithTokenAsync(Tokens.Create("alice"));
        await using var bob = await server.ConnectWithTokenAsync(Tokens.Create("bob"));
        await TestWait.Until(() => Task.FromResult(online.GetMeasurementSnapshot().EvaluateAsCounter() == 2), "two users to be online");
        var ok = await alice.RequestAsync("test", "echo", new { text = "metrics" });
        var failed = await alice.RequestAsync("test", "throw", new { });
        await alice.RequestAsync("no-such", "route", new { });
        await alice.CloseAsync();
        await alice.DisposeAsync();
        await TestWait.Until(() => Task.FromResult(online.GetMeasurementSnapshot().EvaluateAsCounter() == 1), "alice to go offline");

        Assert.True(ok.GetProperty("ok").GetBoolean(), ok.ToString());
        Assert.False(failed.GetProperty("ok").GetBoolean());
        var calls = duration.GetMeasurementSnapshot();
        Assert.Contains(calls, m => (string?)m.Tags["realtime.route"] == "test/echo" && (string?)m.Tags["realtime.code"] == "ok");
        Assert.Contains(calls, m => (string?)m.Tags["realtime.route"] == "(unknown)");
        var error = Assert.Single(errors.GetMeasurementSnapshot(), m => (string?)m.Tags["realtime.route"] == "test/throw");
        Assert.Equal(failed.GetProperty("code").GetString(), error.Tags["realtime.code"]);
    }
}
