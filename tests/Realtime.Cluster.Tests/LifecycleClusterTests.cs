using System.Text.Json;
using Realtime.Api;
using Realtime.Events;

namespace Realtime.Cluster.Tests;

/// <summary>
/// Every lifecycle event and presence hook through two real gateway processes, as an application
/// module sees them (it relays each into a room), with an offline grace period: each once, after what caused it and before what
/// came next, including for the connections of a gateway that is killed.
/// </summary>
public sealed class LifecycleClusterTests
{
    private const string Room = "audit:lifecycle";

    [Fact]
    public async Task EachEventAndHookComesOnceInOrderWhicheverGatewayAndAfterAGatewayIsKilled()
    {
        await using var cluster = await ProcessCluster.StartAsync(silos: 2, gateways: 2, Tokens.Settings(new Dictionary<string, string>
        {
            ["Realtime:Modules:0"] = ProcessCluster.TestModuleDll,
            ["Realtime:Gateway:RateLimitPerSecond"] = "0",
            ["Realtime:Gateway:LeaseTime"] = "00:00:06",
            ["Realtime:Gateways:ReapInterval"] = "00:00:01",
            ["Realtime:Presence:OfflineGracePeriod"] = "00:00:03",
            ["Realtime:Clients:ResumeWindow"] = "00:00:01",
        }));
        var (a, b) = (cluster.Gateways[0], cluster.Gateways[1]);
        await using var watcher = await WsClient.ConnectAsync(a.WsUri);
        await watcher.JoinAsync(Room);
        var log = new EventLog(watcher);
        var realtime = await cluster.RealtimeAsync();
        var (ann, bob, carl) = (TestIds.User(), TestIds.User(), TestIds.User());
        var chat = TestIds.Room();
        var (annRoom, bobRoom) = ("user:" + ann, "user:" + bob);
        var everyone = "all-" + Guid.NewGuid().ToString("N")[..8];
        const string connected = RealtimeEventChannels.ClientConnected, online = RealtimeEventChannels.UserOnline, offline = RealtimeEventChannels.UserOffline;
        const string joined = RealtimeEventChannels.ClientJoinedRoom, left = RealtimeEventChannels.ClientLeftRoom, disconnected = RealtimeEventChannels.ClientDisconnected;

        // Ann, on gateway A: everything a connection does, each step's events before the next step.
        var annClient = await WsClient.ConnectAsync(a.WsUriWithToken(Tokens.Create(ann)));
        await log.Expect("Ann's connect", (connected, ann, null), (online, ann, null), ("hook.online", ann, null), (joined, ann, annRoom));
        await annClient.JoinAsync(chat);
        await log.Expect("Ann's join", (joined, ann, chat));
        await annClient.RequestAsync("system", "leaveRoom", new { roomName = chat });
        await log.Expect("Ann's leave", (left, ann, chat));
        (await annClient.RequestAsync("nope", "nothing")).AssertError("UNKNOWN_ROUTE");
        await log.Expect("Ann's failed message", (RealtimeEventChannels.MessageError, ann, null));
        await realtime.SendToAllAsync(RealtimePush.Create("note", everyone, new { }));
        await log.Expect("the send to all", (RealtimeEventChannels.SendMessageToAll, everyone, null));
        await realtime.DisconnectClientAsync(annClient.ClientId);
        await log.Expect("Ann's disconnect", (RealtimeEventChannels.DisconnectClient, "by-client", null), (left, ann, annRoom), (disconnected, ann, null), (offline, ann, null), ("hook.offline", ann, null));

        // Carl closes and is back within the grace period: his connections come and go, he stays online.
        var carlClient = await WsClient.ConnectAsync(b.WsUriWithToken(Tokens.Create(carl)));
        await log.Expect("Carl's connect", (connected, carl, null), (online, carl, null), ("hook.online", carl, null), (joined, carl, "user:" + carl));
        await carlClient.CloseAsync();
        await log.Expect("Carl's close", (disconnected, carl, null), (left, carl, "user:" + carl));
        await using var carlAgain = await WsClient.ConnectAsync(a.WsUriWithToken(Tokens.Create(carl)));
        await log.Expect("Carl's new connection", (connected, carl, null), (joined, carl, "user:" + carl));

        // Bob, on gateway B, which is killed: his session drops, waits out its window, and ends.
        var bobClient = await WsClient.ConnectAsync(b.WsUriWithToken(Tokens.Create(bob)));
        await log.Expect("Bob's connect", (connected, bob, null), (online, bob, null), ("hook.online", bob, null), (joined, bob, bobRoom));
        await bobClient.JoinAsync(chat);
        await log.Expect("Bob's join", (joined, bob, chat));
        await b.Process.KillAsync();
        await cluster.Explain(() => log.Expect(
            "the end of Bob's session, after the dead gateway's lease and his resume window",
            TimeSpan.FromSeconds(45),
            (left, bob, bobRoom), (left, bob, chat), (disconnected, bob, null), (offline, bob, null), ("hook.offline", bob, null)));

        // A marker after everything: an event that came twice would have come before it.
        await realtime.SendToRoomAsync(Room, "hook", "marker", new { userId = "none" });
        await log.Expect("the marker", ("hook.marker", "none", null));
        await bobClient.AbortAsync();
        await annClient.AbortAsync();

        Assert.DoesNotContain(log.Repeated, e => e.Whose != carl);
        Assert.Equal((1, 1, 0, 0), (log.Count(online, carl), log.Count("hook.online", carl), log.Count(offline, carl), log.Count("hook.offline", carl)));
    }

    /// <summary>
    /// What the lifecycle room relayed, each as (channel, whose, room): whose is the user (the
    /// action, for a send to all), room the room of a join or leave.
    /// </summary>
    private sealed class EventLog(WsClient watcher)
    {
        private readonly List<(string Channel, string? Whose, string? Room)> _seen = [];

        public IEnumerable<(string Channel, string? Whose, string? Room)> Repeated
            => _seen.Where(e => e.Whose is not null && !e.Whose.StartsWith("c_", StringComparison.Ordinal)).GroupBy(e => e).Where(g => g.Count() > 1).Select(g => g.Key);

        public int Count(string channel, string whose) => _seen.Count(e => e.Channel == channel && e.Whose == whose);

        public Task<bool> Expect(string what, params (string Channel, string? Whose, string? Room)[] expected)
            => Expect(what, null, expected);

        /// <summary>Reads the room until every expected event has come (since the last step); anything else is kept too.</summary>
        public async Task<bool> Expect(string what, TimeSpan? timeout, params (string Channel, string? Whose, string? Room)[] expected)
        {
            var from = _seen.Count;
            while (expected.Any(e => !_seen.Skip(from).Contains(e)))
            {
                var push = await watcher.WaitForPushAsync(p => p.TryGetProperty("room", out var room) && room.GetString() == Room, what, timeout);
                _seen.Add(Read(push));
            }

            return true;
        }

        private static (string, string?, string?) Read(JsonElement push)
        {
            var type = push.GetProperty("type").GetString();
            var action = push.GetProperty("action").GetString()!;
            var data = push.GetProperty("data");
            if (type == "hook")
            {
                return ("hook." + action, data.GetProperty("userId").GetString(), null);
            }

            if (action == RealtimeEventChannels.SendMessageToAll)
            {
                return (action, data.GetProperty("action").GetString(), null);
            }

            if (action == RealtimeEventChannels.DisconnectClient)
            {
                // A disconnect names connections, not users: one connection is the test's one disconnect.
                return (action, data.GetProperty("clientIds").GetArrayLength() == 1 ? "by-client" : null, null);
            }

            var whose = data.TryGetProperty("userId", out var user) && user.ValueKind == JsonValueKind.String ? user.GetString() : data.TryGetProperty("clientId", out var id) ? id.GetString() : null;
            return (action, whose, data.TryGetProperty("room", out var room) ? room.GetString() : null);
        }
    }
}
