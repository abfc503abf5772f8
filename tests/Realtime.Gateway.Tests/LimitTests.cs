using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Realtime.Gateway.Diagnostics;

namespace Realtime.Gateway.Tests;

/// <summary>Per-connection limits, each on a gateway configured for it: the gateway's own logic, on a fake cluster (no silo).</summary>
public sealed class LimitTests
{
    [Fact]
    public async Task FrameOverTheLimitClosesWith1009AndOthersCarryOn()
    {
        await using var server = await GatewayServer.StartOnFakeAsync(new Dictionary<string, string> { ["Realtime:Gateway:MaxFrameBytes"] = "1024" });
        await using var offender = await server.ConnectAsync();
        await using var bystander = await server.ConnectAsync();

        var atLimit = await offender.RequestAsync("system", "ping", new string('a', 900));
        await offender.SendTextAsync("""{"type":"system","action":"ping","data":""" + "\"" + new string('a', 5000) + "\"}");
        var status = await offender.WaitForCloseAsync("the 1009 close");

        Assert.True(atLimit.GetProperty("ok").GetBoolean());
        Assert.Equal((WebSocketCloseStatus)1009, status);
        Assert.True((await bystander.RequestAsync("system", "ping")).GetProperty("ok").GetBoolean());
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task FramesPastTheRateLimitGetRateLimitAndAreDropped()
    {
        await using var server = await GatewayServer.StartOnFakeAsync(new Dictionary<string, string>
        {
            ["Realtime:Gateway:RateLimitPerSecond"] = "1",
            ["Realtime:Gateway:RateLimitBurst"] = "5",
        });
        await using var client = await server.ConnectAsync();

        var replies = new List<System.Text.Json.JsonElement>();
        for (var i = 0; i < 12; i++)
        {
            replies.Add(await client.RequestAsync("system", "ping", i));
        }

        var accepted = replies.Where(r => r.GetProperty("ok").GetBoolean()).ToList();
        var limited = replies.Where(r => !r.GetProperty("ok").GetBoolean()).ToList();
        Assert.InRange(accepted.Count, 5, 6);
        Assert.All(limited, r => r.AssertError("RATE_LIMIT"));
        Assert.Equal(WebSocketState.Open, client.State);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task InactiveConnectionIsClosedWith4000WhileAnActiveOneStays()
    {
        await using var server = await GatewayServer.StartOnFakeAsync(new Dictionary<string, string>
        {
            ["Realtime:Gateway:DisconnectInactiveClients"] = "true",
            ["Realtime:Gateway:InactiveTime"] = "00:00:03",
            ["Realtime:Gateway:InactiveCheckInterval"] = "00:00:00.200",
        });
        await using var idle = await server.ConnectAsync();
        await using var active = await server.ConnectAsync();

        var closed = idle.WaitForCloseAsync("the idle connection's 4000 close");
        while (!closed.IsCompleted)
        {
            Assert.True((await active.RequestAsync("system", "ping")).GetProperty("ok").GetBoolean());
            await Task.WhenAny(closed, Task.Delay(200));
        }

        Assert.Equal((WebSocketCloseStatus)4000, await closed);
        Assert.Equal(WebSocketState.Open, active.State);
        Assert.True((await active.RequestAsync("system", "ping")).GetProperty("ok").GetBoolean());
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task IdleConnectionIsPingedAndAnsweringKeepsItActive()
    {
        await using var server = await GatewayServer.StartOnFakeAsync(new Dictionary<string, string>
        {
            ["Realtime:Gateway:HeartbeatInterval"] = "00:00:00.500",
            ["Realtime:Gateway:DisconnectInactiveClients"] = "true",
            ["Realtime:Gateway:InactiveTime"] = "00:00:01.500",
            ["Realtime:Gateway:InactiveCheckInterval"] = "00:00:00.200",
        });
        await using var client = await server.ConnectAsync();
        client.AnswerPings = true;

        await TestWait.Until(() => Task.FromResult(client.PingsReceived >= 6), "six server pings, answered, over three seconds");

        Assert.Equal(500, client.Connected.GetProperty("data").GetProperty("heartbeatMs").GetInt32());
        Assert.Equal(WebSocketState.Open, client.State);
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task SlowConsumerIsClosedWith4001WhileTheOthersReceiveEverything()
    {
        const int messages = 2000;
        await using var server = await GatewayServer.StartOnFakeAsync(new Dictionary<string, string>
        {
            ["Realtime:Gateway:SendQueueBytes"] = "262144",
            ["Realtime:Gateway:SendStallTimeout"] = "00:00:01",
            ["Realtime:Gateway:RateLimitPerSecond"] = "0",
            ["Realtime:Gateway:RateLimitBytesPerSecond"] = "0",
            ["Realtime:Gateway:CloseTimeout"] = "00:01:00",
        });
        using var cuts = new MetricCollector<long>(server.Services.GetRequiredService<IMeterFactory>(), GatewayMetrics.MeterName, "realtime.connections.slow_consumer_cuts");
        var room = TestIds.Room();
        await using var publisher = await server.ConnectAsync();
        await using var fast = await server.ConnectAsync();
        await using var slow = await WsClient.ConnectAsync(server.WsUri, invoker: SlowSocket.Invoker());
        await publisher.JoinAsync(room);
        await fast.JoinAsync(room);
        await slow.JoinAsync(room);

        slow.PauseReading();
        var text = new string('x', 4 * 1024);
        for (var i = 1; i <= messages; i++)
        {
            await publisher.PublishAsync(room, new { text, i });
        }

        for (var i = 1; i <= messages; i++)
        {
            var push = await fast.NextPushAsync($"the fast client's push {i}");
            Assert.Equal(i, push.Seq());
        }

        slow.ResumeReading();
        Assert.Equal((WebSocketCloseStatus)4001, await slow.WaitForCloseAsync("the slow client's 4001 close"));
        await TestWait.Until(() => Task.FromResult(cuts.GetMeasurementSnapshot().EvaluateAsCounter() == 1), "the cut to be counted");
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task WhenClientsMayBeInOneRoomJoiningAnotherLeavesThePrevious()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            ["Realtime:Clients:ClientCanJoinMultipleRooms"] = "false",
        });
        var (first, second) = (TestIds.Room(), TestIds.Room());
        await using var mover = await server.ConnectAsync();
        await using var inFirst = await server.ConnectAsync();
        await using var inSecond = await server.ConnectAsync();
        await inFirst.JoinAsync(first);
        await inSecond.JoinAsync(second);
        await mover.JoinAsync(first);

        await mover.JoinAsync(second);
        await inFirst.PublishAsync(first, new { text = "in first" });
        await inSecond.PublishAsync(second, new { text = "in second" });
        var members = await inFirst.RequestAsync("system", "presence", new { roomName = first });

        var push = await mover.NextPushAsync("the mover's first push");
        Assert.Equal("in second", push.Text());
        Assert.Equal(second, push.GetProperty("room").GetString());
        Assert.Equal(1, members.GetProperty("data").GetProperty("members").GetArrayLength());
        server.Logs.AssertNoUnexpectedErrors();
    }
}

/// <summary>Byte budgets and peers that vanish.</summary>
public sealed class ByteAndPeerLimitTests
{
    [Fact]
    public async Task BytesPastTheByteBudgetGetRateLimit()
    {
        await using var server = await GatewayServer.StartOnFakeAsync(new Dictionary<string, string>
        {
            ["Realtime:Gateway:MaxFrameBytes"] = "1024",
            ["Realtime:Gateway:RateLimitBytesPerSecond"] = "100",
            ["Realtime:Gateway:RateLimitBytesBurst"] = "2048",
        });
        await using var client = await server.ConnectAsync();
        var padding = new string('p', 800);

        var first = await client.RequestAsync("system", "ping", padding);
        var second = await client.RequestAsync("system", "ping", padding);
        var third = await client.RequestAsync("system", "ping", padding);

        Assert.True(first.GetProperty("ok").GetBoolean());
        Assert.True(second.GetProperty("ok").GetBoolean());
        third.AssertError("RATE_LIMIT");
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task APeerThatStopsAnsweringTheSocketsPingsIsCutAndLeavesItsRooms()
    {
        await using var server = await GatewayServer.StartOnFakeAsync(new Dictionary<string, string>
        {
            // Long enough that a watcher on a busy machine answers the socket's pings in time.
            ["Realtime:Gateway:HeartbeatInterval"] = "00:00:00.500",
            ["Realtime:Gateway:PeerTimeout"] = "00:00:02",
        });
        var room = TestIds.Room();
        await using var watcher = await server.ConnectAsync();
        await using var silent = await server.ConnectAsync();
        watcher.AnswerPings = true;
        await watcher.JoinAsync(room);
        await silent.JoinAsync(room);

        silent.PauseReading();

        await TestWait.Until(async () =>
        {
            var reply = await watcher.RequestAsync("system", "presence", new { roomName = room });
            return reply.GetProperty("data").GetProperty("members").GetArrayLength() == 1;
        }, "the silent peer to be cut and leave the room");
        Assert.Equal(WebSocketState.Open, watcher.State);
        server.Logs.AssertNoUnexpectedErrors();
    }
}
