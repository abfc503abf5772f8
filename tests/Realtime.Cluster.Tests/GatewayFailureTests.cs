using System.Net.WebSockets;
using Realtime.Api;

namespace Realtime.Cluster.Tests;

/// <summary>A gateway dies (SIGKILL) or stops (SIGTERM): its connections leave rooms and presence; the other gateway carries on.</summary>
public sealed class GatewayFailureTests
{
    private static readonly TimeSpan s_leaseTime = TimeSpan.FromSeconds(6);

    private static Task<ProcessCluster> StartAsync() => ProcessCluster.StartAsync(silos: 1, gateways: 2, new Dictionary<string, string>
    {
        ["Realtime:Auth:SigningKey"] = Tokens.Key,
        ["Realtime:Auth:AllowAnonymous"] = "true",
        ["Realtime:Gateway:LeaseTime"] = "00:00:06",
        ["Realtime:Gateways:ReapInterval"] = "00:00:01",
        ["Realtime:Presence:OfflineGracePeriod"] = "00:00:00",
    });

    [Fact]
    public async Task WhenAGatewayDiesItsUsersGoOfflineAndLeaveTheirRoomsWithinTheLease()
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
            "the victim's presence leave, once the dead gateway's lease ran out",
            s_leaseTime + TimeSpan.FromSeconds(15)));
        var leftAfter = DateTime.UtcNow - killedAt;
        await publishing.CancelAsync();
        var published = await publisher;
        await doomed.AbortAsync();

        Assert.Equal(victim, left.GetProperty("data").GetProperty("userId").GetString());
        Assert.True(leftAfter < s_leaseTime + TimeSpan.FromSeconds(6), $"left after {leftAfter}");

        // The reaper leaves the rooms and updates presence side by side: offline comes with the leave, not strictly before it.
        await TestWait.Until(async () => !await realtime.IsOnlineAsync(victim), "the victim to be offline", TimeSpan.FromSeconds(5));
        Assert.Equal([watcher.ClientId], (await (await cluster.ClientAsync()).GetRoomGrain(room).GetMembers()).Select(m => m.ClientId));
        Assert.True(published > 0);
    }

    [Fact]
    public async Task AGatewayThatStopsClosesItsSocketsWith1001AndUnregistersThemAtOnce()
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
        var left = await watcher.WaitForPushAsync(p => p.GetProperty("action").GetString() == "leave", "the presence leave", TimeSpan.FromSeconds(5));
        await stopping;

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.Equal(leaving, left.GetProperty("data").GetProperty("userId").GetString());
        Assert.False(await realtime.IsOnlineAsync(leaving));
        Assert.Equal(0, await grains.GetGatewayConnections(gatewayId).Count());
        Assert.DoesNotContain(await grains.GetGatewayRegistry().GetGateways(), g => g.GatewayId == gatewayId);
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
