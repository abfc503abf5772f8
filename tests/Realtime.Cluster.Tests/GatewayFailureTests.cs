using System.Net.WebSockets;
using Realtime.Api;

namespace Realtime.Cluster.Tests;

/// <summary>
/// A gateway dies (SIGKILL) or stops (SIGTERM): its connections' sessions wait for a resume, then leave
/// rooms and presence when their window is over; the other gateway carries on.
/// </summary>
public sealed class GatewayFailureTests
{
    private static readonly TimeSpan s_leaseTime = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan s_resumeWindow = TimeSpan.FromSeconds(2);

    private static Task<ProcessCluster> StartAsync() => ProcessCluster.StartAsync(silos: 1, gateways: 2, new Dictionary<string, string>
    {
        ["Realtime:Auth:SigningKey"] = Tokens.Key,
        ["Realtime:Auth:AllowAnonymous"] = "true",
        ["Realtime:Gateway:LeaseTime"] = "00:00:06",
        ["Realtime:Gateways:ReapInterval"] = "00:00:01",
        ["Realtime:Presence:OfflineGracePeriod"] = "00:00:00",
        ["Realtime:Clients:ResumeWindow"] = "00:00:02",
    });

    [Fact]
    public async Task WhenAGatewayDiesItsUsersGoOfflineAndLeaveTheirRoomsWithinTheLeaseAndTheResumeWindow()
    {
        await using var cluster = await StartAsync();
        var room = "chat:" + Guid.NewGuid().ToString("N");
        var victim = TestIds.User();
        await using var watcher = await WsClient.ConnectAsync(cluster.Gateways[0].WsUri);
        await watcher.JoinAsync(room);
        var doomed = await WsClient.ConnectAsync(cluster.Gateways[1].WsUriWithToken(Tokens.Create(victim)));
        await doomed.JoinAsync(room);
        await watcher.WaitForPushAsync(p => p.GetProperty("type").GetString() == "presence" && p.GetProperty("action").GetString() == "join", "the victim's presence join");
        var realtime = await cluster.RealtimeAsync();
        Assert.True(await realtime.IsOnlineAsync(victim));

        var killedAt = DateTime.UtcNow;
        await cluster.Gateways[1].Process.KillAsync();
        using var publishing = new CancellationTokenSource();
        var publisher = PublishUntilCancelled(realtime, room, publishing.Token);

        var left = await cluster.Explain(() => watcher.WaitForPushAsync(
            p => p.GetProperty("type").GetString() == "presence" && p.GetProperty("action").GetString() == "leave",
            "the victim's presence leave, once the dead gateway's lease and the session's resume window ran out",
            s_leaseTime + s_resumeWindow + TimeSpan.FromSeconds(15)));
        var leftAfter = DateTime.UtcNow - killedAt;
        await publishing.CancelAsync();
        var published = await publisher;
        await doomed.AbortAsync();

        Assert.Equal(victim, left.GetProperty("data").GetProperty("userId").GetString());
        Assert.True(leftAfter > s_resumeWindow && leftAfter < s_leaseTime + s_resumeWindow + TimeSpan.FromSeconds(6), $"left after {leftAfter}");

        // The reaper leaves the rooms and updates presence side by side: offline comes with the leave, not strictly before it.
        await TestWait.Until(async () => !await realtime.IsOnlineAsync(victim), "the victim to be offline", TimeSpan.FromSeconds(5));
        Assert.Equal([watcher.ClientId], (await (await cluster.ClientAsync()).GetRoomGrain(room).GetMembers()).Select(m => m.ClientId));
        Assert.True(published > 0);
    }

    [Fact]
    public async Task AGatewayThatStopsClosesItsSocketsWith1001AndTheirSessionsEndWhenTheirResumeWindowIsOver()
    {
        await using var cluster = await StartAsync();
        var room = "chat:" + Guid.NewGuid().ToString("N");
        var leaving = TestIds.User();
        await using var watcher = await WsClient.ConnectAsync(cluster.Gateways[0].WsUri);
        await watcher.JoinAsync(room);
        await using var client = await WsClient.ConnectAsync(cluster.Gateways[1].WsUriWithToken(Tokens.Create(leaving)));
        await client.JoinAsync(room);
        await watcher.WaitForPushAsync(p => p.GetProperty("action").GetString() == "join", "the presence join");
        var realtime = await cluster.RealtimeAsync();
        var gatewayId = await GatewayIdOf(cluster.Gateways[1]);
        var grains = await cluster.ClientAsync();
        await TestWait.Until(async () => await grains.GetGatewayConnections(gatewayId).Count() == 1, "the gateway to report its connection");

        var stopping = cluster.Gateways[1].Process.StopAsync();
        var status = await client.WaitForCloseAsync("the 1001 close");
        var left = await watcher.WaitForPushAsync(p => p.GetProperty("action").GetString() == "leave", "the presence leave when the resume window is over", s_resumeWindow + TimeSpan.FromSeconds(8));
        await stopping;

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.Equal(leaving, left.GetProperty("data").GetProperty("userId").GetString());
        Assert.False(await realtime.IsOnlineAsync(leaving));
        Assert.Equal(0, await grains.GetGatewayConnections(gatewayId).Count());
        Assert.DoesNotContain(await grains.GetGatewayRegistry().GetGateways(), g => g.GatewayId == gatewayId);
    }

    [Fact]
    public async Task AClientOfAKilledGatewayResumesItsSessionOnTheOtherWithoutLeavingItsRoom()
    {
        await using var cluster = await StartAsync();
        var room = "chat:" + Guid.NewGuid().ToString("N");
        await using var watcher = await WsClient.ConnectAsync(cluster.Gateways[0].WsUri);
        await watcher.JoinAsync(room);
        var doomed = await WsClient.ConnectAsync(cluster.Gateways[1].WsUri);
        await doomed.JoinAsync(room);
        await watcher.WaitForPushAsync(p => p.GetProperty("action").GetString() == "join", "the presence join");
        var resumeToken = doomed.Connected.GetProperty("data").GetProperty("resumeToken").GetString()!;

        await cluster.Gateways[1].Process.KillAsync();
        await doomed.AbortAsync();
        await using var resumed = await WsClient.ConnectAsync(new Uri(cluster.Gateways[0].WsUri + "?resume=" + Uri.EscapeDataString(resumeToken)));

        // Past the dead gateway's lease: its reaper finds the session resumed and leaves it be.
        var gatewayId = await GatewayIdOf(cluster.Gateways[0]);
        var grains = await cluster.ClientAsync();
        await TestWait.Until(async () => (await grains.GetGatewayRegistry().GetGateways()).Length == 1, "the dead gateway to be reaped", s_leaseTime + TimeSpan.FromSeconds(15));
        await watcher.PublishAsync(room, new { text = "still here?" });
        var push = await resumed.WaitForPushAsync(p => p.GetProperty("type").GetString() == "chat", "the room's push on the resumed session");

        Assert.Equal(doomed.ClientId, resumed.ClientId);
        Assert.Equal("still here?", push.Text());
        Assert.Equal([(resumed.ClientId, gatewayId)], (await grains.GetRoomGrain(room).GetMembers()).Where(m => m.ClientId != watcher.ClientId).Select(m => (m.ClientId, m.GatewayId)));
        Assert.False(watcher.TryTakePush(out var left) && left.GetProperty("action").GetString() == "leave", "no presence leave for the resumed session");
    }

    private static async Task<string> GatewayIdOf(GatewayNode gateway)
    {
        using var http = new HttpClient();
        var health = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri(gateway.HttpUri, "/health"))).RootElement;
        return health.GetProperty("checks").GetProperty("realtime").GetProperty("data").GetProperty("gatewayId").GetString()!;
    }

    private static async Task<int> PublishUntilCancelled(IRealtime realtime, string room, CancellationToken token)
    {
        var count = 0;
        while (!token.IsCancellationRequested)
        {
            await realtime.SendToRoomAsync(room, RealtimePush.Create("chat", "message", new { count }));
            count++;
            try
            {
                await Task.Delay(100, token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return count;
    }
}
