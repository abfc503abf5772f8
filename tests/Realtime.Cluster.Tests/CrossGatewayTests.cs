using System.Net.WebSockets;
using System.Text.Json;
using Realtime.Api;

namespace Realtime.Cluster.Tests;

/// <summary>Two silos and two gateways as separate processes on Redis: everything crosses gateways.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class CrossGatewayTests(SharedClusterFixture fixture)
{
    private ProcessCluster Cluster => fixture.Cluster;

    private GatewayNode A => Cluster.Gateways[0];

    private GatewayNode B => Cluster.Gateways[1];

    [Fact]
    public async Task ClientsOnBothGatewaysSeeTheSameBroadcastsInTheSameOrder()
    {
        var room = TestIds.Room();
        var clients = new List<WsClient>();
        foreach (var gateway in new[] { A, A, B, B })
        {
            var client = await WsClient.ConnectAsync(gateway.WsUri);
            await client.JoinAsync(room);
            clients.Add(client);
        }

        try
        {
            // One publisher on each gateway, at the same time.
            await Task.WhenAll(
                Task.Run(async () => { for (var i = 0; i < 100; i++) await clients[0].PublishAsync(room, new { text = $"a{i}" }, echo: true); }),
                Task.Run(async () => { for (var i = 0; i < 100; i++) await clients[2].PublishAsync(room, new { text = $"b{i}" }, echo: true); }));

            var seen = new List<List<(long Seq, string? Text)>>();
            foreach (var client in clients)
            {
                var pushes = new List<(long, string?)>();
                for (var i = 0; i < 200; i++)
                {
                    var push = await client.NextPushAsync($"push {i + 1} of 200");
                    pushes.Add((push.GetProperty("seq").GetInt64(), push.Text()));
                }

                seen.Add(pushes);
            }

            Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), seen[0].Select(p => p.Seq));
            Assert.All(seen, pushes => Assert.Equal(seen[0], pushes));
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task MessagePackAndJsonClientsOnBothGatewaysShareARoomAndRecoverInTheirOwnEncoding()
    {
        byte[] bytes = [0, 1, 128, 255];
        var room = TestIds.Room();
        await using var packerA = await WsClient.ConnectMessagePackAsync(A.WsUri);
        await using var packerB = await WsClient.ConnectMessagePackAsync(B.WsUri);
        await using var jsonB = await WsClient.ConnectAsync(B.WsUri);
        var epoch = (await packerA.JoinAsync(room)).GetProperty("epoch").GetString();
        await packerB.JoinAsync(room);
        await jsonB.JoinAsync(room);

        var seq = await packerA.PublishAsync(room, new Dictionary<string, object> { ["text"] = "bytes", ["blob"] = bytes });
        var realtime = await Cluster.RealtimeAsync();
        await realtime.SendToRoomAsync(room, RealtimePush.Binary("note", "raw", bytes));

        var onPack = await packerB.NextPushAsync("the publish on gateway B, MessagePack");
        Assert.Equal(seq, onPack.Seq());
        Assert.Equal(bytes, onPack.GetProperty("data").GetProperty("blob").Bytes());
        Assert.Equal(bytes, (await packerB.NextPushAsync("the server's push on gateway B, MessagePack")).GetProperty("data").Bytes());
        var onJson = await jsonB.NextPushAsync("the publish on gateway B, JSON");
        Assert.Equal(Convert.ToBase64String(bytes), onJson.GetProperty("data").GetProperty("blob").GetString());
        Assert.Equal(Convert.ToBase64String(bytes), (await jsonB.NextPushAsync("the server's push on gateway B, JSON")).GetProperty("data").GetString());

        await using var late = await WsClient.ConnectMessagePackAsync(B.WsUri);
        var missed = (await late.JoinAsync(room, since: 0, epoch: epoch)).GetProperty("missed");
        Assert.Equal(2, missed.GetArrayLength());
        Assert.Equal(bytes, missed[0].GetProperty("data").GetProperty("blob").Bytes());
        Assert.Equal(bytes, missed[1].GetProperty("data").Bytes());
        Assert.Equal(0, late.TextMessages + packerB.TextMessages);
    }

    [Fact]
    public async Task SendsToUsersClientsAndAllReachEveryGateway()
    {
        var user = TestIds.User();
        await using var phone = await WsClient.ConnectAsync(A.WsUriWithToken(Tokens.Create(user)));
        await using var laptop = await WsClient.ConnectAsync(B.WsUriWithToken(Tokens.Create(user)));
        await using var anonymous = await WsClient.ConnectAsync(B.WsUri);
        var realtime = await Cluster.RealtimeAsync();

        await realtime.SendToUsersAsync([user], RealtimePush.Create("note", "user", new { text = "to the user" }));
        await realtime.SendToClientAsync(anonymous.ClientId, RealtimePush.Create("note", "client", new { text = "to one client" }));
        var marker = Guid.NewGuid().ToString("N");
        await realtime.SendToAllAsync(RealtimePush.Create("note", "all", new { text = marker }));

        Assert.Equal("to the user", (await phone.NextPushAsync("the phone's push")).Text());
        Assert.Equal("to the user", (await laptop.NextPushAsync("the laptop's push")).Text());
        Assert.Equal("to one client", (await anonymous.NextPushAsync("the anonymous client's push")).Text());
        foreach (var client in new[] { phone, laptop, anonymous })
        {
            await client.WaitForPushAsync(p => p.GetProperty("action").GetString() == "all" && p.Text() == marker, "the broadcast to all");
        }
    }

    [Fact]
    public async Task AnApplicationServiceInAnotherProcessManagesConnectionsOnAnyGateway()
    {
        var room = TestIds.Room();
        await using var client = await WsClient.ConnectAsync(B.WsUri);
        await using var watcher = await WsClient.ConnectAsync(A.WsUri);
        await watcher.JoinAsync(room);
        var realtime = await Cluster.RealtimeAsync();

        var seq = await realtime.JoinRoomAsync(client.ClientId, room);
        var joined = await client.NextPushAsync("the roomJoined push");
        await realtime.SendToRoomAsync(room, RealtimePush.Create("note", "room", new { text = "to the room" }));
        var roomPush = await client.NextPushAsync("the room's push");
        await realtime.UpdateClientMetadataAsync(client.ClientId, new Dictionary<string, string?> { ["plan"] = "pro" });
        var info = await realtime.GetClientAsync(client.ClientId);
        var count = await realtime.GetRoomMemberCountAsync(room);
        await realtime.SendToRoomsAsync([room], RealtimePush.Create("note", "pro", new { text = "pro only" }), new SendOptions { Filter = new Dictionary<string, string> { ["plan"] = "pro" } });
        var filtered = await client.NextPushAsync("the push filtered on the new metadata");
        await realtime.LeaveRoomAsync(client.ClientId, room);
        var left = await client.NextPushAsync("the roomLeft push");
        await realtime.DisconnectClientAsync(client.ClientId);
        var closed = await client.WaitForCloseAsync("the disconnect");

        Assert.Equal(0, seq);
        Assert.Equal("roomJoined", joined.GetProperty("action").GetString());
        Assert.Equal("to the room", roomPush.Text());
        Assert.Equal("pro", info!.Metadata["plan"]);
        Assert.Equal(2, count);
        Assert.Equal("pro only", filtered.Text());
        Assert.Equal("roomLeft", left.GetProperty("action").GetString());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, closed);
        Assert.Equal([watcher.ClientId], (await realtime.GetRoomMembersAsync(room)).Select(m => m.ClientId));
    }

    [Fact]
    public async Task SendToAPathReachesItOnEveryGateway()
    {
        await using var onA = await WsClient.ConnectAsync(new Uri(A.HttpUri.ToString().Replace("http", "ws", StringComparison.Ordinal) + "ws/alt"));
        await using var onB = await WsClient.ConnectAsync(new Uri(B.HttpUri.ToString().Replace("http", "ws", StringComparison.Ordinal) + "ws/alt"));
        await using var elsewhere = await WsClient.ConnectAsync(A.WsUri);
        var realtime = await Cluster.RealtimeAsync();
        var marker = Guid.NewGuid().ToString("N");

        await realtime.SendToPathAsync("/ws/alt", RealtimePush.Create("note", "path", new { text = marker }));
        await realtime.SendToClientAsync(elsewhere.ClientId, RealtimePush.Create("note", "marker", new { text = marker }));

        Assert.Equal(marker, (await onA.NextPushAsync("the path push on gateway A")).Text());
        Assert.Equal(marker, (await onB.NextPushAsync("the path push on gateway B")).Text());
        Assert.Equal("marker", (await elsewhere.NextPushAsync("the marker: no path push first")).GetProperty("action").GetString());
    }

    [Fact]
    public async Task AUsersConnectionsOnEveryGatewayAreKnownAndLimited()
    {
        var user = TestIds.User();
        await using var first = await WsClient.ConnectAsync(A.WsUriWithToken(Tokens.Create(user)));
        await using var second = await WsClient.ConnectAsync(B.WsUriWithToken(Tokens.Create(user)));
        var realtime = await Cluster.RealtimeAsync();

        var connections = await realtime.GetUserConnectionsAsync(user);
        await using var third = await WsClient.ConnectAsync(A.WsUriWithToken(Tokens.Create(user)), expectConnected: false);
        var refused = await third.WaitForCloseAsync("the connection over the user's limit to be closed");

        Assert.Equal(new[] { first.ClientId, second.ClientId }.Order(), connections.Select(c => c.ClientId).Order());
        Assert.Equal(2, connections.Select(c => c.GatewayId).Distinct().Count());
        Assert.True(await realtime.IsOnlineAsync(user));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, refused);
    }

    [Fact]
    public async Task HealthReportsTheClusterAndTheGatewaysFigures()
    {
        var room = TestIds.Room();
        await using var client = await WsClient.ConnectAsync(A.WsUri);
        await client.JoinAsync(room);
        using var http = new HttpClient();

        var health = JsonDocument.Parse(await http.GetStringAsync(new Uri(A.HttpUri, "/health"))).RootElement;

        var data = health.GetProperty("checks").GetProperty("realtime").GetProperty("data");
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("connected", data.GetProperty("cluster").GetString());
        Assert.True(data.GetProperty("connections").GetInt32() >= 1);
        Assert.True(data.GetProperty("rooms").GetInt32() >= 1);
        Assert.Equal(2, data.GetProperty("gateways").GetInt32());
    }

    [Fact]
    public async Task ASessionDroppedOnOneGatewayResumesOnTheOtherWithItsRoomsAndWhatItMissed()
    {
        var user = TestIds.User();
        var room = TestIds.Room();
        var onA = await WsClient.ConnectAsync(A.WsUriWithToken(Tokens.Create(user)));
        var epoch = (await onA.JoinAsync(room)).GetProperty("epoch").GetString();
        var resumeToken = onA.Connected.GetProperty("data").GetProperty("resumeToken").GetString()!;
        var realtime = await Cluster.RealtimeAsync();

        await onA.AbortAsync();
        await realtime.SendToRoomAsync(room, RealtimePush.Create("chat", "message", new { text = "while moving" }));
        await using var onB = await WsClient.ConnectAsync(new Uri(B.WsUriWithToken(Tokens.Create(user)) + "&resume=" + Uri.EscapeDataString(resumeToken)));
        var recovered = await onB.JoinAsync(room, since: 0, epoch: epoch);
        await realtime.SendToClientAsync(onB.ClientId, RealtimePush.Create("note", "direct", new { text = "found you" }));
        var direct = await onB.WaitForPushAsync(p => p.GetProperty("type").GetString() == "note", "the push to the resumed client");
        var members = await realtime.GetRoomMembersAsync(room);
        var connections = await realtime.GetUserConnectionsAsync(user);

        Assert.Equal(onA.ClientId, onB.ClientId);
        Assert.True(onB.Connected.GetProperty("data").GetProperty("resumed").GetBoolean());
        Assert.Equal(["while moving"], recovered.GetProperty("missed").EnumerateArray().Select(p => p.Text()));
        Assert.Equal("found you", direct.Text());
        Assert.Single(members);
        Assert.Single(connections);
        Assert.Equal(members[0].GatewayId, connections[0].GatewayId);
        Assert.NotEqual(await GatewayIdOfA(), members[0].GatewayId);
    }

    private async Task<string> GatewayIdOfA()
    {
        using var http = new HttpClient();
        var health = JsonDocument.Parse(await http.GetStringAsync(new Uri(A.HttpUri, "/health"))).RootElement;
        return health.GetProperty("checks").GetProperty("realtime").GetProperty("data").GetProperty("gatewayId").GetString()!;
    }
}
