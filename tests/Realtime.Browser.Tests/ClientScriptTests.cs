using Microsoft.Extensions.DependencyInjection;
using Realtime.Api;

namespace Realtime.Browser.Tests;

/// <summary>The browser client, /realtime.js, in Chromium against the real gateway.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ClientScriptTests(HeadlessChromium chromium, EmbeddedGateway gateway) : IClassFixture<EmbeddedGateway>
{
    private GatewayServer Server => gateway.Server;

    private IRealtime Realtime => Server.Services.GetRequiredService<IRealtime>();

    private static string Room() => "room:" + Guid.NewGuid().ToString("N")[..12];

    private async Task PublishAsync(string room, int from, int to)
    {
        for (var n = from; n <= to; n++)
        {
            await Realtime.SendToRoomAsync(room, RealtimePush.Create("t", "n", new { n }));
        }
    }

    [Fact]
    public async Task RequestsResolveWithTheReplyOrRejectWithTheServersCode()
    {
        await using var client = await ScriptClient.StartAsync(chromium, Server);

        Assert.Equal(("6", null), await client.RequestAsync("test", "add", new[] { 1, 2, 3 }));
        Assert.Equal((null, "UNKNOWN_ROUTE"), await client.RequestAsync("test", "nothing", null));
        Assert.Equal((null, "INVALID_MESSAGE"), await client.RequestAsync("system", "joinRoom", new { }));
        client.AssertNoErrors();
    }

    [Fact]
    public async Task RequestHandlersAnswerTheServerWithTheirResultOrTheirCode()
    {
        await using var client = await ScriptClient.StartAsync(chromium, Server);
        await client.EvalAsync("""
            async () => {
              const { RealtimeError } = await import('/realtime.js');
              client.onRequest('game', 'confirm', async request => ({ accept: request.data.move === 7 }));
              client.onRequest('game', 'refuse', () => { throw new RealtimeError('REFUSED', 'not now'); });
            }
            """);

        var accepted = await Realtime.InvokeClientAsync<System.Text.Json.JsonElement>(client.ClientId, "game", "confirm", new { move = 7 }).Within("the page's answer");
        var refused = await Assert.ThrowsAsync<RealtimeException>(() => Realtime.InvokeClientAsync<System.Text.Json.JsonElement>(client.ClientId, "game", "refuse", null).Within("the page's refusal"));
        var unknown = await Assert.ThrowsAsync<RealtimeException>(() => Realtime.InvokeClientAsync<System.Text.Json.JsonElement>(client.ClientId, "game", "nobody", null).Within("the unknown route"));

        Assert.True(accepted.GetProperty("accept").GetBoolean());
        Assert.Equal(("REFUSED", "not now"), (refused.Code, refused.Message));
        Assert.Equal("UNKNOWN_ROUTE", unknown.Code);
        Assert.Equal(0, await client.EvalAsync<int>("() => log.filter(e => e.push?.rid).length"));
        client.AssertNoErrors();
    }

    [Fact]
    public async Task APublishRepeatedWithItsIdempotencyKeyResolvesWithTheFirstSeq()
    {
        var room = Room();
        await using var client = await ScriptClient.StartAsync(chromium, Server);

        var seqs = await client.EvalAsync<long[]>("""
            async room => {
              await client.join(room);
              const first = await client.publish(room, 'chat', 'message', { text: 'once' }, { idempotencyKey: 'msg-1' });
              const again = await client.publish(room, 'chat', 'message', { text: 'once' }, { idempotencyKey: 'msg-1' });
              const next = await client.publish(room, 'chat', 'message', { text: 'next' }, { idempotencyKey: 'msg-2' });
              return [first, again, next];
            }
            """, room);

        Assert.Equal(new long[] { 1, 1, 2 }, seqs);
        client.AssertNoErrors();
    }

    [Fact]
    public async Task ARequestTimesOutOrIsAbortedWithItsOwnCode()
    {
        await using var client = await ScriptClient.StartAsync(chromium, Server);

        Assert.Equal((null, "TIMEOUT"), await client.RequestAsync("test", "slow", null, new { timeout = 200 }));
        var aborted = await client.EvalAsync<string>("""
            async () => {
              const controller = new AbortController();
              const request = client.request('test', 'slow', null, { signal: controller.signal });
              setTimeout(() => controller.abort(), 50);
              try { await request; return 'resolved'; } catch (error) { return error.code; }
            }
            """);
        Assert.Equal("ABORTED", aborted);
        // The connection is still good for the next request, which runs once the two slow handlers
        // (still running on the connection's grain, one frame at a time) are done: up to 10 s.
        Assert.Equal(("3", null), await client.RequestAsync("test", "add", new[] { 1, 2 }, new { timeout = 30_000 }));
    }

    [Fact]
    public async Task AfterTheConnectionDropsTheClientRejoinsAndDeliversWhatItMissedInOrder()
    {
        var room = Room();
        await using var client = await ScriptClient.StartAsync(chromium, Server);
        await client.EvalAsync("room => client.join(room)", room);
        await PublishAsync(room, 1, 2);
        await client.SeqsAsync(room, 2);

        await client.AwayAndBackAsync(() => Realtime.DisconnectClientAsync(client.ClientId, 1001, "test"), () => PublishAsync(room, 3, 5));
        await PublishAsync(room, 6, 6);

        Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6 }, await client.SeqsAsync(room, 6));
        Assert.Equal(new[] { "connecting", "connected", "reconnecting", "connected" }, await client.StatesAsync());
        Assert.Empty(await client.EvalAsync<string[]>("() => log.filter(e => e.recoveryFailed).map(e => e.recoveryFailed)"));
        Assert.NotEqual(client.ClientId, await client.EvalAsync<string>("() => client.clientId"));
        client.AssertNoErrors();
    }

    [Fact]
    public async Task AfterANetworkDropTheClientResumesItsSessionAndItsRoomsCarryOnInOrder()
    {
        var room = Room();
        await using var client = await ScriptClient.StartAsync(chromium, Server);
        await client.EvalAsync("room => client.join(room)", room);
        await PublishAsync(room, 1, 2);
        await client.SeqsAsync(room, 2);

        await client.AwayAndBackAsync(
            () =>
            {
                Assert.True(Server.Cut(client.ClientId));
                return Task.CompletedTask;
            },
            () => PublishAsync(room, 3, 5));
        await PublishAsync(room, 6, 6);

        Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6 }, await client.SeqsAsync(room, 6));
        Assert.Equal(client.ClientId, await client.EvalAsync<string>("() => client.clientId"));
        Assert.True(await client.EvalAsync<bool>("() => client.resumed"));
        Assert.Equal([client.ClientId], (await Realtime.GetRoomMembersAsync(room)).Select(m => m.ClientId));
        client.AssertNoErrors();
    }

    [Fact]
    public async Task PushesToTheUserDuringADropArriveAfterTheReconnectInOrder()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            ["Realtime:Auth:SigningKey"] = Tokens.Key,
            ["Realtime:Auth:Issuer"] = Tokens.Issuer,
            ["Realtime:Auth:Audience"] = Tokens.Audience,
        });
        var realtime = server.Services.GetRequiredService<IRealtime>();
        var user = TestIds.User();
        var userRoom = "user:" + user;
        await using var client = await ScriptClient.StartAsync(chromium, server, new { token = Tokens.Create(user) });
        await realtime.SendToUserAsync(user, "t", "n", new { n = 1 });
        await client.SeqsAsync(userRoom, 1);

        await client.AwayAndBackAsync(() => realtime.DisconnectClientAsync(client.ClientId, 1001, "test"), async () =>
        {
            for (var n = 2; n <= 4; n++)
            {
                await realtime.SendToUserAsync(user, "t", "n", new { n });
            }
        });
        await realtime.SendToUserAsync(user, "t", "n", new { n = 5 });

        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, await client.SeqsAsync(userRoom, 5));
        Assert.Empty(await client.EvalAsync<string[]>("() => log.filter(e => e.recoveryFailed).map(e => e.recoveryFailed)"));
        client.AssertNoErrors();
    }

    [Fact]
    public async Task WhenTheRoomNoLongerHoldsWhatWasMissedTheRoomIsNamedAndTheRestArrivesInOrder()
    {
        var room = Room();
        await using var client = await ScriptClient.StartAsync(chromium, Server);
        await client.EvalAsync("room => client.join(room)", room);
        await PublishAsync(room, 1, 1);
        await client.SeqsAsync(room, 1);

        await client.CloseGateAsync();
        await Realtime.DisconnectClientAsync(client.ClientId, 1001, "test");
        await client.WaitAsync("() => client.state === 'reconnecting'");
        var missed = EmbeddedGateway.HistorySize + 3;
        await PublishAsync(room, 2, 1 + missed);
        await client.OpenGateAsync();
        await client.WaitAsync("room => log.some(e => e.recoveryFailed === room)", room);

        var seqs = await client.SeqsAsync(room, 1 + EmbeddedGateway.HistorySize);
        Assert.Equal([1L, .. Enumerable.Range(2 + missed - EmbeddedGateway.HistorySize, EmbeddedGateway.HistorySize).Select(n => (long)n)], seqs);
    }

    [Fact]
    public async Task ASeqGapOnALiveConnectionIsRepairedBeforeWhatFollows()
    {
        var room = Room();
        var dropped = 0;
        await using var client = await ScriptClient.StartAsync(chromium, Server, route: page => page.RouteWebSocketAsync(url => true, ws =>
        {
            var server = ws.ConnectToServer();
            ws.OnMessage(frame => server.Send(frame.Text!));
            server.OnMessage(frame =>
            {
                // The network loses the room's third push, once.
                if (frame.Text!.Contains("\"seq\":3", StringComparison.Ordinal) && frame.Text.Contains("\"type\":\"t\"", StringComparison.Ordinal) && Interlocked.Exchange(ref dropped, 1) == 0)
                {
                    return;
                }

                ws.Send(frame.Text!);
            });
        }));
        await client.EvalAsync("room => client.join(room)", room);

        await PublishAsync(room, 1, 5);

        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, await client.SeqsAsync(room, 5));
        Assert.Equal(1, dropped);
        Assert.Equal(new[] { "connecting", "connected" }, await client.StatesAsync());
    }

    [Fact]
    public async Task ASilentServerIsPingedThenGivenUpAndTheClientReconnects()
    {
        var connections = 0;
        await using var client = await ScriptClient.StartAsync(chromium, Server, new { heartbeatIntervalMs = 200, heartbeatTimeoutMs = 1000 }, page => page.RouteWebSocketAsync(url => true, ws =>
        {
            var first = Interlocked.Increment(ref connections) == 1;
            var server = ws.ConnectToServer();
            var forwarded = 0;
            ws.OnMessage(frame => server.Send(frame.Text!));
            server.OnMessage(frame =>
            {
                // The first connection goes silent after `connected`: no replies, no pongs.
                if (!first || Interlocked.Increment(ref forwarded) == 1)
                {
                    ws.Send(frame.Text!);
                }
            });
        }));
        var firstClientId = client.ClientId;

        await client.WaitAsync("() => client.state === 'connected' && client.resumed");

        // The client gave up on the socket to come back: its session waited, and it is the same one.
        Assert.Equal(firstClientId, await client.EvalAsync<string>("() => client.clientId"));
        Assert.Equal(new[] { "connecting", "connected", "reconnecting", "connected" }, await client.StatesAsync());
        Assert.Equal(("3", null), await client.RequestAsync("test", "add", new[] { 1, 2 }));
    }

    [Fact]
    public async Task WatchPresenceKeepsTheRoomsOnlineListWithNames()
    {
        var room = "chat:" + Guid.NewGuid().ToString("N")[..12];
        await using var client = await ScriptClient.StartAsync(chromium, Server, new { metadata = new { name = "Ann" } });
        await client.EvalAsync("""
            async room => {
              window.online = [];
              client.watchPresence(room, members => { window.online = members.map(m => m.metadata.name).sort(); });
              await client.join(room);
              const { RealtimeClient } = await import('/realtime.js');
              window.other = new RealtimeClient({ url: client.options.url, metadata: { name: 'Ben' } });
              await other.connect();
              await other.join(room);
            }
            """, room);

        await client.WaitAsync("() => JSON.stringify(online) === '[\"Ann\",\"Ben\"]'");
        await client.EvalAsync("() => other.close()");
        await client.WaitAsync("() => JSON.stringify(online) === '[\"Ann\"]'");
        client.AssertNoErrors();
    }
}
