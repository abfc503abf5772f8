using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Realtime.Delivery;
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
        // Counted when each socket's run of writes ends, a moment after the client has read its last frame.
        await TestWait.Until(() => Task.FromResult(framesOut.GetMeasurementSnapshot().EvaluateAsCounter() >= 6), "connected, the join replies, a publish reply and a push to be counted");
        Assert.True(bytesOut.GetMeasurementSnapshot().EvaluateAsCounter() > framesOut.GetMeasurementSnapshot().EvaluateAsCounter() * 10);
        Assert.InRange(queue.GetMeasurementSnapshot().Count, 1, framesOut.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.All(queue.GetMeasurementSnapshot(), m => Assert.True(m.Value > 0, "a run of writes starts with a frame queued"));
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

    [Fact]
    public async Task GapRepairsAndResyncsAreCountedByOutcomeAndReason()
    {
        await using var server = await GatewayServer.StartOnFakeAsync();
        var meters = server.Services.GetRequiredService<IMeterFactory>();
        using var repairs = new MetricCollector<long>(meters, GatewayMetrics.MeterName, "realtime.rooms.gap_repairs");
        using var resyncs = new MetricCollector<long>(meters, GatewayMetrics.MeterName, "realtime.rooms.resyncs");
        var gatewayId = server.Services.GetRequiredService<Hosting.GatewayIdentity>().Id;
        var room = TestIds.Room("chat");
        await using var sender = await server.ConnectAsync();
        await using var reader = await server.ConnectAsync();
        await sender.JoinAsync(room);
        await reader.JoinAsync(room);

        // A lost stream item the room's history still has: repaired.
        await sender.PublishAsync(room, new { text = "one" });
        server.Fake!.LoseNextPush(room);
        await sender.PublishAsync(room, new { text = "three" });
        for (var i = 1; i <= 3; i++)
        {
            await reader.NextPushAsync($"push {i}");
        }

        // Seqs the history never had: lost for good, so both members are told to resync.
        var (seq, epoch) = server.Fake.RoomPosition(room);
        server.Fake.Push(gatewayId, new RoomPush(room, seq + 3, Frame(room, seq + 3), Epoch: epoch));
        await TestWait.Until(() => Task.FromResult(resyncs.GetMeasurementSnapshot().Count == 1), "the lost seqs' resync to be counted");

        // The room started over (its state was lost): a new epoch, another resync.
        server.Fake.Push(gatewayId, new RoomPush(room, 1, Frame(room, 1), Epoch: "another-epoch"));
        await TestWait.Until(() => Task.FromResult(resyncs.GetMeasurementSnapshot().Count == 2), "the new epoch's resync to be counted");

        var outcomes = repairs.GetMeasurementSnapshot().Select(m => (string?)m.Tags["realtime.outcome"]).ToList();
        Assert.Equal(["repaired", "unrepairable"], outcomes);
        var counted = resyncs.GetMeasurementSnapshot();
        Assert.Equal(["lost", "new_epoch"], counted.Select(m => (string?)m.Tags["realtime.reason"]));
        Assert.All(counted, m => Assert.Equal(2, m.Value));
    }

    private static byte[] Frame(string room, long seq)
        => System.Text.Encoding.UTF8.GetBytes($$"""{"type":"chat","action":"message","data":{},"room":"{{room}}","seq":{{seq}}}""");
}
