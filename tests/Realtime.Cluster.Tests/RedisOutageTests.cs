using System.Diagnostics;
using System.Net.WebSockets;

namespace Realtime.Cluster.Tests;

/// <summary>Redis goes away for a few seconds under load: what needs it fails fast, memory stays flat, and it all comes back.</summary>
public sealed class RedisOutageTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task WhileRedisIsDownOperationsFailFastAndAfterwardsTheClusterRecovers()
    {
        await using var cluster = await ProcessCluster.StartAsync(silos: 1, gateways: 1, new Dictionary<string, string>
        {
            ["Realtime:Gateway:RateLimitPerSecond"] = "0",
        });
        var gateway = cluster.Gateways[0];
        var silo = cluster.Silos[0];
        var room = TestIds.Room();
        await using var member = await WsClient.ConnectAsync(gateway.WsUri);
        await member.JoinAsync(room);
        for (var i = 0; i < 50; i++)
        {
            await member.PublishAsync(room, new { text = $"warm {i}" });
        }

        var memoryBefore = silo.Process.ResidentBytes() + gateway.Process.ResidentBytes();
        await cluster.Redis.StopAsync();

        // Under load while Redis is away: frames that need storage fail, quickly.
        var slowest = TimeSpan.Zero;
        var failures = 0;
        var outage = Stopwatch.StartNew();
        var attempt = 0;
        while (outage.Elapsed < TimeSpan.FromSeconds(5))
        {
            var started = Stopwatch.StartNew();
            var reply = await member.RequestAsync("system", "joinRoom", new { roomName = TestIds.Room() }, TimeSpan.FromSeconds(10));
            slowest = started.Elapsed > slowest ? started.Elapsed : slowest;
            failures += reply.GetProperty("ok").GetBoolean() ? 0 : 1;
            await member.SendAsync("system", "publish", new { roomName = room, type = "chat", action = "message", data = new { text = $"during {attempt++}" } });
        }

        var connectStarted = Stopwatch.StartNew();
        await using (var newcomer = await WsClient.ConnectAsync(gateway.WsUri, expectConnected: false))
        {
            var status = await newcomer.WaitForCloseAsync("a new connection to be refused while Redis is away", TimeSpan.FromSeconds(10));
            Assert.Equal((WebSocketCloseStatus)1013, status);
        }

        var connectRefusedIn = connectStarted.Elapsed;
        var memoryDuring = silo.Process.ResidentBytes() + gateway.Process.ResidentBytes();

        await cluster.Redis.StartAgainAsync();
        var recovered = Stopwatch.StartNew();
        await cluster.Explain(async () =>
        {
            await TestWait.Until(async () =>
            {
                await using var probe = await WsClient.ConnectAsync(gateway.WsUri, expectConnected: false);
                try
                {
                    var connected = await probe.NextPushAsync("connected", TimeSpan.FromSeconds(5));
                    return connected.GetProperty("action").GetString() == "connected"
                        && (await probe.RequestAsync("system", "joinRoom", new { roomName = room })).GetProperty("ok").GetBoolean();
                }
                catch (Exception exception) when (exception is TimeoutException or InvalidOperationException)
                {
                    return false;
                }
            }, "a new connection to register and join again", TimeSpan.FromSeconds(60));
            return true;
        });
        var recoveredIn = recovered.Elapsed;

        await using var after = await WsClient.ConnectAsync(gateway.WsUri);
        await after.JoinAsync(room);
        await after.PublishAsync(room, new { text = "after" });
        await member.WaitForPushAsync(p => p.TryGetProperty("data", out var d) && d.TryGetProperty("text", out var t) && t.GetString() == "after", "the member to receive a push published after the outage");

        output.WriteLine($"joins failed during the outage: {failures}, slowest answer {slowest}, new connection refused in {connectRefusedIn}, recovered in {recoveredIn}, memory {memoryBefore / 1048576} MB before, {memoryDuring / 1048576} MB during");
        Assert.True(failures > 0, "joins should fail while Redis is away");
        Assert.True(slowest < TimeSpan.FromSeconds(4), $"a frame took {slowest} to be answered during the outage");
        Assert.True(connectRefusedIn < TimeSpan.FromSeconds(5), $"a new connection took {connectRefusedIn} to be refused");
        Assert.True(memoryDuring - memoryBefore < 100 * 1024 * 1024, $"memory grew by {(memoryDuring - memoryBefore) / 1048576} MB during the outage");
    }
}
